import { CLOCK, CallEventsTap, type Clock, systemClock } from '@lianluo/call-client';
import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { PostgresModule } from '@lianluo/postgres';
import { ServiceAuthModule } from '@lianluo/service-auth';
import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { resolve } from 'node:path';
import { CallersController } from './callers/callers.controller';
import { CallersRepository } from './callers/callers.repository';
import { FlowsService } from './flows/flows.service';
import { IVR_CONFIG, type IvrConfig } from './ivr.config';
import { SessionsHandlers } from './sessions/sessions.handlers';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
const MIGRATIONS_DIR = resolve(__dirname, '..', 'migrations');

@Global()
@Module({})
class IvrConfigModule {
  static of(config: IvrConfig, clock: Clock): DynamicModule {
    return {
      module: IvrConfigModule,
      providers: [
        { provide: IVR_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [IVR_CONFIG, CLOCK],
    };
  }
}

/** The ivr (IVR-1..IVR-5): flows per dialled number, caller identification, the wait in queue. */
@Module({})
export class IvrModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: MessagingConnection,
  ) {}

  static forConfig(config: IvrConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: IvrModule,
      imports: [
        IvrConfigModule.of(config, clock),
        ObservabilityModule.forRoot({ serviceName: config.SERVICE_NAME ?? 'ivr', logLevel: config.LOG_LEVEL }),
        PostgresModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationsDir: MIGRATIONS_DIR, schema: 'ivr' }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: config.SERVICE_NAME ?? 'ivr',
          // Any replica takes a new call; the one that claims it drives it.
          queueGroup: 'ivr',
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
          ackWaitMs: config.EVENT_ACK_WAIT_MS,
          publishes: ['ivr'],
        }),
        // The callers routes answer only api (ServiceIdentityGuard); a canary (SERVICE_NAME) is still ivr to api.
        ServiceAuthModule.forRoot({ audience: 'ivr', publicKeys: config.SERVICE_AUTH_PUBLIC_KEYS }),
      ],
      controllers: [CallersController],
      providers: [FlowsService, CallersRepository, SessionsRepository, CallEventsTap, SessionsService, SessionsHandlers],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.isConnected());
  }
}
