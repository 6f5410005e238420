import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Who is tracing: becomes the OpenTelemetry resource of every span. */
export interface TracingOptions {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** The site (e.g. `bj`) a service runs at, for services bound to one Asterisk. */
  readonly site?: string;
  /**
   * Also receives every span the moment it ends, besides the OTLP exporter (which only the
   * `OTEL_EXPORTER_OTLP_*` variables turn on): tests collect spans in a SpanCollector.
   */
  readonly spanExporter?: SpanExporter;
}
