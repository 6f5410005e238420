import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { PostgresModule } from '@lianluo/postgres';
import { RedisModule } from '@lianluo/redis';
import { ServiceAuthModule } from '@lianluo/service-auth';
import type { AcdConfig } from './acd.config';
import { AgentsHandlers } from './agents/agents.handlers';
import { CodeCatalogues } from './agents/code-catalogues';
import { CallbackDialler } from './callbacks/callback-dialler';
import { CallbacksController } from './callbacks/callbacks.controller';
import { CallbackEventsRelay } from './callbacks/callbacks.events';
import { CallbacksHandlers } from './callbacks/callbacks.handlers';
import { CallbacksRepository } from './callbacks/callbacks.repository';
import { CALLBACKS_OPTIONS, type CallbacksOptions, CallbacksService } from './callbacks/callbacks.service';
import { ConfigurationHandlers } from './configuration/configuration.handlers';
import { MIGRATIONS_DIR } from './configuration/migrations-dir';
import { ConfigurationRepository } from './configuration/configuration.repository';
import { CONFIGURATION_OPTIONS, ConfigurationService } from './configuration/configuration.service';
import { ContactsHandlers } from './contacts/contacts.handlers';
import type { RoutingClock } from './routing/routing-clock';
import { RoutingModule } from './routing/routing.module';
import { ROUTING_TIMERS_OPTIONS, RoutingTimers } from './timers/routing-timers';
import { VoiceHandlers } from './voice/voice.handlers';
import { VoiceService } from './voice/voice.service';

export interface AcdModuleOptions {
  /** The routing clock; the system clock unless a test moves time by hand. */
  readonly clock?: RoutingClock;
  /** Timers run only when a test calls RoutingTimers.tick(). */
  readonly manualTimers?: boolean;
}

/**
 * One acd replica: commands over NATS (one member of the `acd` queue group answers each),
 * live routing state in Redis, its events relayed to JetStream, configuration and
 * callbacks stored in PostgreSQL; callbacks, health and metrics over HTTP.
 */
@Module({})
export class AcdModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: MessagingConnection,
  ) {}

  static forConfig(config: AcdConfig, options: AcdModuleOptions = {}): DynamicModule {
    const callbacks: CallbacksOptions = {
      defaultMaxAttempts: config.ACD_CALLBACK_MAX_ATTEMPTS,
      schedule: { delaysMs: config.ACD_CALLBACK_RETRY_DELAYS_S.map((seconds) => seconds * 1_000), requeueMs: config.ACD_CALLBACK_REQUEUE_MS },
      ringMs: config.ACD_CALLBACK_RING_MS,
      agentRingMs: config.ACD_CALLBACK_AGENT_RING_MS,
      batch: config.ACD_TIMER_BATCH,
    };
    return {
      module: AcdModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'acd', logLevel: config.LOG_LEVEL }),
        RedisModule.forRoot(config, { connectionName: 'acd' }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: 'acd',
          // Replicas are interchangeable: any one answers a command.
          queueGroup: 'acd',
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
          publishes: ['acd'],
        }),
        RoutingModule.forRoot({ keyPrefix: config.REDIS_KEY_PREFIX, outboxClaimMs: config.ACD_OUTBOX_CLAIM_MS, clock: options.clock }),
        // Queues, agents, skills and callbacks are stored in schema acd (migrated at start-up).
        PostgresModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationsDir: MIGRATIONS_DIR, schema: 'acd' }),
        // The callbacks routes answer only api (ServiceIdentityGuard).
        ServiceAuthModule.forRoot({ audience: 'acd', publicKeys: config.SERVICE_AUTH_PUBLIC_KEYS }),
      ],
      controllers: [CallbacksController],
      providers: [
        ContactsHandlers,
        AgentsHandlers,
        CodeCatalogues,
        { provide: CONFIGURATION_OPTIONS, useValue: { file: config.ACD_CONFIG_FILE } },
        ConfigurationRepository,
        ConfigurationService,
        ConfigurationHandlers,
        {
          provide: ROUTING_TIMERS_OPTIONS,
          useValue: {
            intervalMs: config.ACD_TIMER_INTERVAL_MS,
            batch: config.ACD_TIMER_BATCH,
            positionIntervalMs: config.ACD_POSITION_INTERVAL_MS,
            manual: options.manualTimers ?? false,
          },
        },
        RoutingTimers,
        VoiceService,
        VoiceHandlers,
        { provide: CALLBACKS_OPTIONS, useValue: callbacks },
        CallbacksRepository,
        CallbackEventsRelay,
        CallbacksService,
        CallbackDialler,
        CallbacksHandlers,
      ],
    };
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('nats', () => this.nats.isConnected());
    // Durables of earlier versions no handler reads any more: `acd-callback-contacts`
    // (all acd events, before callbacks took abandoned and overflowed from one each).
    for (const [domain, durable] of RETIRED_CONSUMERS) await this.nats.retireConsumer(domain, durable);
  }
}

const RETIRED_CONSUMERS: readonly (readonly [domain: string, durable: string])[] = [['acd', 'acd-callback-contacts']];
