import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessRegistry } from '@lianluo/observability';
import { closeRedis } from './close-redis';
import type { RedisClient } from './redis-client';
import { REDIS_MODULE_OPTIONS, type RedisModuleOptions } from './redis-module-options';
import { REDIS } from './redis.token';

/**
 * Reports the connection to readiness (when ObservabilityModule is there), logs its
 * errors once per change instead of once per reconnection attempt, and closes it on
 * shutdown.
 */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private unregisterReadiness: (() => void) | undefined;
  private lastError: string | undefined;

  constructor(
    @Inject(REDIS) private readonly client: RedisClient,
    @Inject(REDIS_MODULE_OPTIONS) private readonly options: RedisModuleOptions,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.client.on('error', (error: Error) => {
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.warn(`connection error: ${error.message}`);
    });
    this.client.on('ready', () => {
      if (this.lastError === undefined) return;
      this.lastError = undefined;
      this.logger.log('connection ready again');
    });
    this.unregisterReadiness = this.readiness?.register(
      this.options.readinessCheckName ?? 'redis',
      () => this.client.status === 'ready',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregisterReadiness?.();
    await closeRedis(this.client);
  }
}
