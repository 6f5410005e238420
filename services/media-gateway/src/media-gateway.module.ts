import { MessagingConnection, MessagingModule } from '@lianluo/messaging';
import { ObservabilityModule, ReadinessRegistry } from '@lianluo/observability';
import { type DynamicModule, Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AriConnection } from './ari/ari-connection';
import { CallRegistry } from './calls/call-registry';
import { CallsModule } from './calls/calls.module';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from './media-gateway.config';

@Global()
@Module({})
class MediaGatewayConfigModule {
  static of(config: MediaGatewayConfig): DynamicModule {
    return {
      module: MediaGatewayConfigModule,
      providers: [{ provide: MEDIA_GATEWAY_CONFIG, useValue: config }],
      exports: [MEDIA_GATEWAY_CONFIG],
    };
  }
}

/** One site's call control: ARI in, call events and commands over NATS out. */
@Module({})
export class MediaGatewayModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly ari: AriConnection,
    private readonly registry: CallRegistry,
    private readonly nats: MessagingConnection,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
  ) {}

  static forConfig(config: MediaGatewayConfig): DynamicModule {
    const name = `media-gateway-${config.SITE}`;
    return {
      module: MediaGatewayModule,
      imports: [
        MediaGatewayConfigModule.of(config),
        ObservabilityModule.forRoot({ serviceName: 'media-gateway', site: config.SITE, logLevel: config.LOG_LEVEL }),
        MessagingModule.forRoot({
          servers: config.NATS_URL,
          namespace: config.NATS_NAMESPACE,
          connectionName: name,
          // One member per site answers a command; the owning site's answers count.
          queueGroup: name,
          site: config.SITE,
          user: config.NATS_USER,
          pass: config.NATS_PASSWORD,
          token: config.NATS_TOKEN,
          publishes: ['call'],
        }),
        CallsModule,
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register(`ari-${this.config.SITE}`, () => this.ari.isConnected);
    // Ready only once the calls Asterisk already has are adopted: a restarted gateway must not take commands blind.
    this.readiness.register('calls-resynced', () => this.registry.isSynced);
    this.readiness.register('nats', () => this.nats.isConnected());
  }
}
