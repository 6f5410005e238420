import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/** `trace_id` and `span_id` of the active span, for every log line written inside it. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
