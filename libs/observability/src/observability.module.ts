import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Registry } from 'prom-client';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import type { ObservabilityOptions } from './observability-options';
import { OBSERVABILITY_SETTINGS, type ObservabilitySettings, resolveObservabilitySettings } from './observability-settings';
import { pinoHttpOptions } from './pino-http-options';
import { prepareMetricsRegistry } from './prepare-metrics-registry';
import { ReadinessRegistry } from './readiness-registry';
import { TracingLifecycle } from './tracing-lifecycle';

/**
 * Logs, metrics, health and tracing for a service, imported once by its root module.
 * Provides (globally) nestjs-pino's `Logger`/`PinoLogger`, the prom-client `Registry` to
 * add metrics to, and the `ReadinessRegistry` behind `GET /health/ready`; serves
 * `GET /metrics`, `GET /health/live` and `GET /health/ready`.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    // Read the environment when Nest creates the providers, not when the root module's
    // decorators run, so `loadConfigOrExit` in main.ts reports a bad LOG_LEVEL first.
    let settings: ObservabilitySettings | undefined;
    const resolveSettings = () => (settings ??= resolveObservabilitySettings(options));

    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          useFactory: () => {
            const pinoHttp = pinoHttpOptions(resolveSettings());
            return { pinoHttp: options.logDestination ? [pinoHttp, options.logDestination] : pinoHttp };
          },
        }),
        // Readiness changes are logged by HealthController; Terminus would log every failing probe.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: OBSERVABILITY_SETTINGS, useFactory: resolveSettings },
        TracingLifecycle,
        { provide: Registry, useFactory: prepareMetricsRegistry, inject: [OBSERVABILITY_SETTINGS] },
        {
          provide: ReadinessRegistry,
          useFactory: () => new ReadinessRegistry({ checkTimeoutMs: options.readinessCheckTimeoutMs }),
        },
      ],
      exports: [Registry, ReadinessRegistry],
    };
  }
}
