/** Who is tracing: becomes the OpenTelemetry resource of every span. */
export interface TracingOptions {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** The site (e.g. `bj`) a service runs at, for services bound to one Asterisk. */
  readonly site?: string;
}
