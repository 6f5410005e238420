import { MessagingConnection, streamNameOf } from '@lianluo/messaging';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { REPORTING_CONSUMERS } from '../events/reporting-consumers';

const NAME = 'lianluo_reporting_consumer_pending_events';

/** How far the event store is behind each stream: events not yet delivered or not yet acknowledged. */
@Injectable()
export class ConsumerLagMetrics implements OnModuleDestroy {
  private readonly logger = new Logger(ConsumerLagMetrics.name);

  constructor(connection: MessagingConnection, private readonly registry: Registry) {
    const logger = this.logger;
    registry.removeSingleMetric(NAME);
    new Gauge({
      name: NAME,
      help: 'Events of a domain stream the reporting consumer has not yet acknowledged (pending + in flight).',
      labelNames: ['domain'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [domain, durable] of Object.entries(REPORTING_CONSUMERS)) {
          try {
            const info = await connection.jsm.consumers.info(streamNameOf(connection.namespace, domain), durable);
            this.set({ domain }, info.num_pending + info.num_ack_pending);
          } catch (error) {
            logger.warn({ err: error, domain }, 'consumer lag not read');
          }
        }
      },
    });
  }

  onModuleDestroy(): void {
    this.registry.removeSingleMetric(NAME);
  }
}
