import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * A span exporter for tests (TracingOptions.spanExporter): keeps every span that ends, and
 * lets a test wait for the spans it expects rather than sleep. Unlike OpenTelemetry's
 * InMemorySpanExporter it keeps them after tracing shuts down (the first of several
 * applications in one process to close shuts it down).
 */
export class SpanCollector implements SpanExporter {
  private readonly finished: ReadableSpan[] = [];
  private waiters: (() => void)[] = [];

  /** Every span that ended so far, first ended first. */
  get spans(): readonly ReadableSpan[] {
    return this.finished;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.finished.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
    this.waiters.forEach((wake) => wake());
  }

  /**
   * What `find` returns from the spans once it returns something, checked now and as spans
   * end; undefined once `deadlineMs` passes without it, so a test can then say what it saw.
   */
  until<T>(find: (spans: readonly ReadableSpan[]) => T | undefined, deadlineMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), deadlineMs);
      const check = () => {
        const found = find(this.finished);
        if (found !== undefined) settle(found);
      };
      const settle = (found: T | undefined) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve(found);
      };
      this.waiters.push(check);
      check();
    });
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
