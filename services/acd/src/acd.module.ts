import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@lianluo/observability';
import { RedisModule } from '@lianluo/redis';
import type { AcdConfig } from './acd.config';
import { RoutingModule } from './routing/routing.module';

/** One acd replica: routing state in Redis, health and metrics over HTTP. Commands over NATS come next. */
@Module({})
export class AcdModule {
  static forConfig(config: AcdConfig): DynamicModule {
    return {
      module: AcdModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'acd', logLevel: config.LOG_LEVEL }),
        RedisModule.forRoot(config, { connectionName: 'acd' }),
        RoutingModule.forKeyPrefix(config.REDIS_KEY_PREFIX),
      ],
    };
  }
}
