import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { EventPublisher } from '@lianluo/messaging';
import { REDIS, type RedisClient } from '@lianluo/redis';
import { publishAcdEvent } from './publish-acd-event';
import { ROUTING_CLOCK, type RoutingClock, systemRoutingClock } from './routing-clock';
import { RoutingCommandRunner } from './routing-command-runner';
import { RoutingStore } from './routing-store';
import { RoutingEventsRelay } from './routing.events';

export interface RoutingModuleOptions {
  /** First segment of every key (`REDIS_KEY_PREFIX`). */
  readonly keyPrefix: string;
  /** See RoutingEventsRelayOptions.claimAfterMs. */
  readonly outboxClaimMs: number;
  readonly clock?: RoutingClock;
}

/**
 * Live routing state: the RoutingStore over the application's Redis connection, the clock
 * it decides by, the relay of its events to JetStream, and the runner every command
 * handler goes through.
 */
@Global()
@Module({})
export class RoutingModule {
  static forRoot(options: RoutingModuleOptions): DynamicModule {
    return {
      module: RoutingModule,
      providers: [
        { provide: ROUTING_CLOCK, useValue: options.clock ?? systemRoutingClock },
        {
          provide: RoutingStore,
          useFactory: (redis: RedisClient, clock: RoutingClock) => new RoutingStore(redis, { keyPrefix: options.keyPrefix, clock }),
          inject: [REDIS, ROUTING_CLOCK],
        },
        {
          provide: RoutingEventsRelay,
          useFactory: (redis: RedisClient, store: RoutingStore, publisher: EventPublisher) =>
            new RoutingEventsRelay(redis, (tenant) => store.outboxKey(tenant), (event) => publishAcdEvent(publisher, event), {
              consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
              claimAfterMs: options.outboxClaimMs,
            }),
          inject: [REDIS, RoutingStore, EventPublisher],
        },
        RoutingCommandRunner,
      ],
      exports: [ROUTING_CLOCK, RoutingStore, RoutingEventsRelay, RoutingCommandRunner],
    };
  }
}
