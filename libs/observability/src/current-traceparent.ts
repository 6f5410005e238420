import { type Context, context, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The W3C `traceparent` of a context's span (`00-<trace id>-<span id>-<flags>`), to put on
 * an outgoing message or keep with a record; undefined without a span.
 */
export function traceparentOf(ctx: Context): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The W3C `traceparent` of the active span; undefined outside a span. */
export function currentTraceparent(): string | undefined {
  return traceparentOf(context.active());
}
