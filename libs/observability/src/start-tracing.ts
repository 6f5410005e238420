import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { PropagatingTracerProvider } from './propagating-tracer';
import type { Tracing } from './tracing';
import type { TracingOptions } from './tracing-options';

/** Resource attribute naming the site a service runs at. */
export const SITE_ATTRIBUTE = 'lianluo.site';

// The OpenTelemetry API keeps its tracer provider, context manager and propagator in
// globals that can be set once; so does this module, to make a second call harmless.
let running: Tracing | undefined;

/**
 * Sets up OpenTelemetry for the process, once: later calls return the running tracing
 * unchanged until it is shut down. Spans always get real trace and span ids, so W3C
 * `traceparent` propagation works without a collector; they are exported over OTLP/HTTP
 * only when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, and
 * handed to `options.spanExporter`, when given, as each ends. With neither, nothing would
 * read a span, so none is recorded (PropagatingTracer): ids and propagation only. The first
 * call decides: a later call's options, exporter included, are ignored while tracing runs.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (running) return running;

  const exporting = isSet(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) || isSet(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const contextManager = new AsyncLocalStorageContextManager();
  const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
  if (!exporting && !options.spanExporter) {
    trace.setGlobalTracerProvider(new PropagatingTracerProvider());
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(propagator);
    return track(async () => undefined);
  }
  const spanProcessors: SpanProcessor[] = [
    // Reads the other OTEL_EXPORTER_OTLP_* variables (headers, timeout, compression, TLS) itself.
    ...(exporting ? [new BatchSpanProcessor(new OTLPTraceExporter())] : []),
    ...(options.spanExporter ? [new SimpleSpanProcessor(options.spanExporter)] : []),
  ];
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        resourceFromAttributes({
          [ATTR_SERVICE_NAME]: options.serviceName,
          ...(options.serviceVersion !== undefined && { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
          ...(options.site !== undefined && { [SITE_ATTRIBUTE]: options.site }),
        }),
      ),
    spanProcessors,
  });
  provider.register({ contextManager, propagator });
  return track(() => provider.shutdown());
}

/** The running tracing, whose shutdown undoes the globals and then runs `shutdownProvider`. */
function track(shutdownProvider: () => Promise<void>): Tracing {
  const tracing: Tracing = {
    async shutdown() {
      if (running !== tracing) return;
      running = undefined;
      trace.disable();
      propagation.disable();
      context.disable();
      await shutdownProvider();
    },
  };
  running = tracing;
  return tracing;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
