import { parseTraceParent } from '@opentelemetry/core';

/** The trace id inside a W3C `traceparent`, or undefined when it is missing or malformed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (traceparent === undefined) return undefined;
  return parseTraceParent(traceparent)?.traceId;
}
