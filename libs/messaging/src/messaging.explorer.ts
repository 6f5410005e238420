import { type CommandDefinition } from '@lianluo/contracts';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { type CommandHandlerFunction, CommandServer } from './command-server';
import { EventConsumer, type EventHandlerFunction, type UnknownEventHandlerFunction } from './event-consumer';
import { MessagingConnection } from './messaging-connection';
import { COMMAND_HANDLER, EVENT_HANDLER, type EventHandlerMetadata, UNKNOWN_EVENT_HANDLER } from './messaging.decorators';
import { MessagingMetrics } from './messaging.metrics';

/**
 * Finds @CommandHandler and @EventHandler methods on every provider once the application
 * has booted, and binds them to NATS: a service never writes subscription code.
 */
@Injectable()
export class MessagingExplorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessagingExplorer.name);
  private readonly consumers: EventConsumer[] = [];
  private readonly commandServer: CommandServer;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly connection: MessagingConnection,
    private readonly metrics: MessagingMetrics,
  ) {
    this.commandServer = new CommandServer(connection, metrics);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      const methodNames = this.scanner.getAllMethodNames(prototype);
      const unknownTakers = new Map<string, UnknownEventHandlerFunction>();
      for (const methodName of methodNames) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const durable = this.reflector.get<string | undefined>(UNKNOWN_EVENT_HANDLER, method);
        if (durable) unknownTakers.set(durable, method.bind(instance) as UnknownEventHandlerFunction);
      }
      for (const methodName of methodNames) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const command = this.reflector.get<CommandDefinition | undefined>(COMMAND_HANDLER, method);
        if (command) {
          this.commandServer.serve(command, method.bind(instance) as CommandHandlerFunction);
          this.logger.log({ command: `${command.domain}.${command.name}`, handler: `${wrapper.name}.${methodName}` }, 'serving command');
        }
        const events = this.reflector.get<EventHandlerMetadata | undefined>(EVENT_HANDLER, method);
        if (events) {
          const consumer = new EventConsumer(
            this.connection,
            {
              durable: events.durable,
              definitions: events.definitions,
              handler: method.bind(instance) as EventHandlerFunction,
              ...(events.maxAckPending !== undefined && { maxAckPending: events.maxAckPending }),
              ...(unknownTakers.has(events.durable) && { unknown: unknownTakers.get(events.durable) }),
            },
            this.metrics,
          );
          await consumer.start();
          this.consumers.push(consumer);
          this.logger.log({ durable: events.durable, handler: `${wrapper.name}.${methodName}` }, 'consuming events');
        }
      }
    }
    await this.connection.nc.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.commandServer.stop();
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.connection.close();
  }
}
