import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { PostgresModule } from '@lianluo/postgres';
import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { resolve } from 'node:path';
import { MeController } from './agents/me.controller';
import { API_CONFIG, type ApiConfig } from './api.config';
import { AccessTokenVerifier } from './auth/access-token.verifier';
import { AuditModule } from './audit/audit.module';
import { CallbacksController } from './callbacks/callbacks.controller';
import { CustomersController } from './customers/customers.controller';
import { NumberPlanStore } from './numbers/number-plan.store';
import { NumbersController } from './numbers/numbers.controller';
import { ReportsController } from './reports/reports.controller';
import { ServiceForwarder } from './services/service-forwarder';
import { GreetingsController } from './voicemail/greetings.controller';
import { VoicemailsController } from './voicemail/voicemails.controller';
import { AuthGuard } from './auth/auth.guard';
import { CommandRunner } from './commands/command-runner';
import { IdentityModule } from './identity/identity.module';
import { LiveEventsGateway } from './live/live-events.gateway';
import { LiveMetrics } from './live/live.metrics';
import { TenantFeeds } from './live/tenant-feeds';
import { PolicyGuard } from './policy/policy.guard';
import { UsersController } from './users/users.controller';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ConfigurationController } from './configuration/configuration.controller';
import { ConfigurationItems } from './configuration/configuration-items';
import { ConfigurationItemsController } from './configuration/configuration-items.controller';

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
const MIGRATIONS_DIR = resolve(__dirname, '..', 'migrations');

@Global()
@Module({})
class ApiConfigModule {
  static of(config: ApiConfig): DynamicModule {
    return { module: ApiConfigModule, providers: [{ provide: API_CONFIG, useValue: config }], exports: [API_CONFIG] };
  }
}

/**
 * The edge for people and tools: identity, one policy on every route (AuthGuard, then
 * PolicyGuard, for every controller) and every live event pushed over WebSocket, and routes
 * that become the services' commands.
 */
@Module({})
export class ApiModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly nats: MessagingConnection,
  ) {}

  static forConfig(config: ApiConfig): DynamicModule {
    const serviceName = config.SERVICE_NAME ?? 'api';
    return {
      module: ApiModule,
      imports: [
        ApiConfigModule.of(config),
        ObservabilityModule.forRoot({ serviceName, logLevel: config.LOG_LEVEL }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: serviceName,
          queueGroup: serviceName,
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
        }),
        PostgresModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationsDir: MIGRATIONS_DIR, schema: 'api' }),
        ThrottlerModule.forRoot([
          { name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_PER_MINUTE },
          { name: 'public', ttl: 60_000, limit: config.PUBLIC_RATE_PER_MINUTE },
        ]),
        IdentityModule.forConfig(config),
        AuditModule,
        WebhooksModule,
      ],
      controllers: [
        MeController,
        UsersController,
        CallbacksController,
        ReportsController,
        CustomersController,
        VoicemailsController,
        GreetingsController,
        ConfigurationController,
        ConfigurationItemsController,
        NumbersController,
      ],
      providers: [
        AccessTokenVerifier,
        CommandRunner,
        ConfigurationItems,
        ServiceForwarder,
        NumberPlanStore,
        // Global guards by reference to their own providers, so a bench can set them aside.
        AuthGuard,
        PolicyGuard,
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: PolicyGuard },
        LiveMetrics,
        TenantFeeds,
        LiveEventsGateway,
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.isConnected());
  }
}
