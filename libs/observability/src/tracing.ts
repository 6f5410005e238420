/** The process's tracing, as returned by `startTracing`. */
export interface Tracing {
  /** Flushes spans still buffered for export and unregisters the global tracer. */
  shutdown(): Promise<void>;
}
