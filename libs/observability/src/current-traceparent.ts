import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The W3C `traceparent` of the active span (`00-<trace id>-<span id>-<flags>`), to put on
 * an outgoing message; undefined outside a span.
 */
export function currentTraceparent(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
