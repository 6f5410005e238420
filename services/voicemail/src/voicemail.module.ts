import { CLOCK, CallEventsTap, type Clock, systemClock } from '@lianluo/call-client';
import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { PostgresModule } from '@lianluo/postgres';
import { createRecordingStore } from '@lianluo/recording-store';
import { ServiceAuthModule } from '@lianluo/service-auth';
import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { resolve } from 'node:path';
import { GreetingsController } from './greetings/greetings.controller';
import { GreetingsRepository } from './greetings/greetings.repository';
import { MessagesController } from './messages/messages.controller';
import { MessagesRepository } from './messages/messages.repository';
import { RECORDING_STORE } from './messages/recording-store.token';
import { OutboxRelay } from './outbox/outbox.relay';
import { OverflowHandlers } from './overflow/overflow.handlers';
import { SessionsHandlers } from './sessions/sessions.handlers';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { TakesController } from './takes/takes.controller';
import { TakeUrls } from './takes/take-urls';
import { VOICEMAIL_CONFIG, type VoicemailConfig } from './voicemail.config';

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
const MIGRATIONS_DIR = resolve(__dirname, '..', 'migrations');

@Global()
@Module({})
class VoicemailConfigModule {
  static of(config: VoicemailConfig, clock: Clock): DynamicModule {
    return {
      module: VoicemailConfigModule,
      providers: [
        { provide: VOICEMAIL_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: RECORDING_STORE, useFactory: () => createRecordingStore(config) },
      ],
      exports: [VOICEMAIL_CONFIG, CLOCK, RECORDING_STORE],
    };
  }
}

/** Voicemail (VM-1): sessions driven over NATS, messages in PostgreSQL, audio over HTTP. */
@Module({})
export class VoicemailModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: MessagingConnection,
  ) {}

  static forConfig(config: VoicemailConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: VoicemailModule,
      imports: [
        VoicemailConfigModule.of(config, clock),
        ObservabilityModule.forRoot({ serviceName: config.SERVICE_NAME ?? 'voicemail', logLevel: config.LOG_LEVEL }),
        PostgresModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationsDir: MIGRATIONS_DIR, schema: 'voicemail' }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: config.SERVICE_NAME ?? 'voicemail',
          // Any replica takes a call; the one that does drives it.
          queueGroup: 'voicemail',
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
          ackWaitMs: config.EVENT_ACK_WAIT_MS,
          publishes: ['voicemail'],
        }),
        // Messages and greetings answer only api (ServiceIdentityGuard); takes, only their signed URLs.
        ServiceAuthModule.forRoot({ audience: 'voicemail', publicKeys: config.SERVICE_AUTH_PUBLIC_KEYS }),
      ],
      controllers: [MessagesController, GreetingsController, TakesController],
      providers: [SessionsRepository, MessagesRepository, GreetingsRepository, TakeUrls, OutboxRelay, CallEventsTap, SessionsService, SessionsHandlers, OverflowHandlers],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.isConnected());
  }
}
