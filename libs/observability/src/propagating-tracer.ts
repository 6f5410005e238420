import {
  type Context,
  type Span,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  context,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-node';

const ids = new RandomIdGenerator();

/**
 * The tracer of a process whose spans nobody collects (no exporter): every span has real
 * ids and continues its parent's trace, so `traceparent` propagation, and trace ids in
 * logs, work as with the SDK; but nothing is recorded, so a span costs an id and a context
 * rather than the SDK's span object, attributes, clock reads and processor calls. The
 * sampled flag is the parent's (sampled for a new trace), so a downstream service that
 * does export records its part of the trace.
 */
export class PropagatingTracer implements Tracer {
  startSpan(_name: string, options?: SpanOptions, parentContext: Context = context.active()): Span {
    const parent = options?.root ? undefined : trace.getSpanContext(parentContext);
    const continues = parent !== undefined && isSpanContextValid(parent);
    return trace.wrapSpanContext({
      traceId: continues ? parent.traceId : ids.generateTraceId(),
      spanId: ids.generateSpanId(),
      traceFlags: continues ? parent.traceFlags : TraceFlags.SAMPLED,
    });
  }

  // The API's three overloads: (name, fn), (name, options, fn), (name, options, context, fn).
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length >= 2 ? (args[0] as SpanOptions | undefined) : undefined;
    const parentContext = args.length >= 3 ? ((args[1] as Context | undefined) ?? context.active()) : context.active();
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

export class PropagatingTracerProvider implements TracerProvider {
  private readonly tracer = new PropagatingTracer();

  getTracer(): Tracer {
    return this.tracer;
  }
}
