import { type DynamicModule, Module } from '@nestjs/common';
import type { RedisConfig } from '@lianluo/config';
import { createRedis } from './create-redis';
import { RedisLifecycle } from './redis-lifecycle';
import {
  REDIS_MODULE_CONFIG,
  REDIS_MODULE_OPTIONS,
  type RedisModuleAsyncOptions,
  type RedisModuleOptions,
} from './redis-module-options';
import { REDIS } from './redis.token';

/**
 * Provides one Redis connection under `REDIS` to the whole application, registers the
 * `redis` readiness check when ObservabilityModule is imported, and quits on shutdown
 * (call `app.enableShutdownHooks()` so SIGTERM gets there).
 */
@Module({})
export class RedisModule {
  static forRoot(config: RedisConfig, options: RedisModuleOptions = {}): DynamicModule {
    return RedisModule.forRootAsync({ ...options, useFactory: () => config });
  }

  /** For a config only known once Nest runs, e.g. `inject: [CONFIG], useFactory: (config) => config`. */
  static forRootAsync(options: RedisModuleAsyncOptions): DynamicModule {
    const { imports = [], inject = [], useFactory, ...moduleOptions } = options;
    return {
      module: RedisModule,
      global: true,
      imports,
      providers: [
        { provide: REDIS_MODULE_OPTIONS, useValue: moduleOptions },
        { provide: REDIS_MODULE_CONFIG, useFactory, inject },
        {
          provide: REDIS,
          useFactory: (config: RedisConfig, { connectionName }: RedisModuleOptions) =>
            createRedis(config, connectionName !== undefined ? { connectionName } : {}),
          inject: [REDIS_MODULE_CONFIG, REDIS_MODULE_OPTIONS],
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
