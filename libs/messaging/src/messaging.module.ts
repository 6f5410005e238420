import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CommandClient } from './command-client';
import { EventPublisher } from './event-publisher';
import { MessagingConnection } from './messaging-connection';
import { MessagingExplorer } from './messaging.explorer';
import { MessagingMetrics } from './messaging.metrics';
import { type MessagingOptions } from './messaging.options';

export interface MessagingModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
  /** Domains whose streams this service publishes into; created at start-up. */
  readonly publishes?: readonly string[];
}

/**
 * NATS for a Nest service: the connection, an EventPublisher, a CommandClient, and the
 * binding of @CommandHandler / @EventHandler methods.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: MessagingMetrics, useFactory: () => new MessagingMetrics() },
        {
          provide: MessagingConnection,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => {
            const connection = await MessagingConnection.connect(await options.useFactory(...args));
            await Promise.all((options.publishes ?? []).map((domain) => connection.ensureStream(domain)));
            return connection;
          },
        },
        {
          provide: EventPublisher,
          inject: [MessagingConnection, MessagingMetrics],
          useFactory: (c: MessagingConnection, m: MessagingMetrics) => new EventPublisher(c, m),
        },
        { provide: CommandClient, inject: [MessagingConnection], useFactory: (c: MessagingConnection) => new CommandClient(c) },
        MessagingExplorer,
      ],
      exports: [MessagingConnection, EventPublisher, CommandClient, MessagingMetrics],
    };
  }

  static forRoot(options: MessagingOptions & { publishes?: readonly string[] }): DynamicModule {
    return MessagingModule.forRootAsync({ useFactory: () => options, publishes: options.publishes ?? [] });
  }
}
