import { type DynamicModule, Module } from '@nestjs/common';
import { REDIS, type RedisClient } from '@lianluo/redis';
import { RoutingStore } from './routing-store';

/** Provides the RoutingStore over the application's Redis connection (RedisModule). */
@Module({})
export class RoutingModule {
  static forKeyPrefix(keyPrefix: string): DynamicModule {
    return {
      module: RoutingModule,
      providers: [{ provide: RoutingStore, useFactory: (redis: RedisClient) => new RoutingStore(redis, { keyPrefix }), inject: [REDIS] }],
      exports: [RoutingStore],
    };
  }
}
