import { traceparentOf } from '@lianluo/observability';
import { type Context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

/**
 * Starts the trace every event of a call carries, under the active context: a call that
 * arrived starts a trace of its own, a placed call continues the trace of the command that
 * placed it. The traceparent is what the call's channel keeps (LIANLUO_TRACEPARENT) so a
 * restarted gateway continues the same trace.
 */
export function startCallTrace(attributes: { site: string; tenant: string; callId: string }): { context: Context; traceparent: string | undefined } {
  const span = trace.getTracer('media-gateway').startSpan('call', {
    kind: SpanKind.SERVER,
    attributes: { 'lianluo.site': attributes.site, 'lianluo.tenant': attributes.tenant, 'lianluo.call_id': attributes.callId },
  });
  span.end();
  const context = trace.setSpan(ROOT_CONTEXT, span);
  return { context, traceparent: traceparentOf(context) };
}

