import { Controller, Get, Logger } from '@nestjs/common';
import { OperationsRoute } from './operations-route';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness-registry';

@OperationsRoute()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Readiness');
  private lastNotReady: string | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** Answers while the event loop turns; a restart is the only cure when it does not. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** 200 when every registered check passes, 503 naming the failing ones otherwise. */
  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    const results = await this.readiness.evaluate();
    this.reportChange(results.filter((result) => !result.ready).map((result) => result.name));
    return this.health.check(
      results.map((result) => () => {
        const indicator = this.indicators.check(result.name);
        if (result.ready) return indicator.up();
        return result.reason === undefined ? indicator.down() : indicator.down({ reason: result.reason });
      }),
    );
  }

  // Probes come every few seconds: log when readiness changes, not on every probe.
  private reportChange(notReady: string[]): void {
    const current = notReady.length > 0 ? notReady.join(', ') : undefined;
    if (current === this.lastNotReady) return;
    if (current === undefined) this.logger.log('ready');
    else this.logger.warn(`not ready: ${current}`);
    this.lastNotReady = current;
  }
}
