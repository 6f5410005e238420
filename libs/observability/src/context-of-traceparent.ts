import { type Context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/**
 * The trace context a stored W3C `traceparent` stands for, to continue its trace from work
 * that runs later or elsewhere (an outbox relay, a timer); undefined when it is missing or
 * malformed. Built on the root context: the stored trace replaces whatever is active.
 */
export function contextOfTraceparent(traceparent: string | undefined): Context | undefined {
  const spanContext = traceparent ? parseTraceParent(traceparent) : null;
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : undefined;
}
