import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OBSERVABILITY_SETTINGS, type ObservabilitySettings } from './observability-settings';
import { startTracing } from './start-tracing';
import type { Tracing } from './tracing';

/**
 * Starts tracing when Nest creates the providers, before any module's init hook can
 * open a span, and flushes it when the application shuts down. Harmless when `main.ts`
 * started tracing already.
 */
@Injectable()
export class TracingLifecycle implements OnApplicationShutdown {
  private readonly tracing: Tracing;

  constructor(@Inject(OBSERVABILITY_SETTINGS) settings: ObservabilitySettings) {
    this.tracing = startTracing(settings);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
