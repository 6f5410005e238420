import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { PostgresModule } from '@lianluo/postgres';
import { ServiceAuthModule } from '@lianluo/service-auth';
import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { resolve } from 'node:path';
import { CLOCK, type Clock } from './clock';
import { EventsModule } from './events/events.module';
import { MetricsModule } from './metrics/metrics.module';
import { ReportsModule } from './reports/reports.module';
import { REPORTING_CONFIG, type ReportingConfig } from './reporting.config';

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
const MIGRATIONS_DIR = resolve(__dirname, '..', 'migrations');

@Global()
@Module({})
class ReportingConfigModule {
  static of(config: ReportingConfig, clock: Clock): DynamicModule {
    return {
      module: ReportingConfigModule,
      providers: [
        { provide: REPORTING_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [REPORTING_CONFIG, CLOCK],
    };
  }
}

/** The event store and what is read from it: reports over HTTP, business gauges on /metrics. */
@Module({})
export class ReportingModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: MessagingConnection,
  ) {}

  static forConfig(config: ReportingConfig, clock: Clock = () => Date.now()): DynamicModule {
    const serviceName = config.SERVICE_NAME ?? 'reporting';
    return {
      module: ReportingModule,
      imports: [
        ReportingConfigModule.of(config, clock),
        ObservabilityModule.forRoot({ serviceName, logLevel: config.LOG_LEVEL }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: serviceName,
          queueGroup: serviceName,
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
          ackWaitMs: config.EVENT_ACK_WAIT_MS,
        }),
        // The event store and its projections live in schema reporting, migrated at start-up;
        // replicas starting together wait on one lock and find nothing left to do.
        PostgresModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationsDir: MIGRATIONS_DIR, schema: 'reporting' }),
        // The reports answer only api (ServiceIdentityGuard); a second deployment (SERVICE_NAME) is still reporting to api.
        ServiceAuthModule.forRoot({ audience: 'reporting', publicKeys: config.SERVICE_AUTH_PUBLIC_KEYS }),
        EventsModule,
        ReportsModule,
        MetricsModule,
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.isConnected());
  }
}
