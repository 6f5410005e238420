import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

const NAME = 'lianluo_reporting_events_recorded_total';

/** Events the store took, by domain and whether they were new or a redelivery it had already. */
@Injectable()
export class EventStoreMetrics {
  readonly recorded: Counter<'domain' | 'outcome'>;

  constructor(registry: Registry) {
    this.recorded =
      (registry.getSingleMetric(NAME) as Counter<'domain' | 'outcome'> | undefined) ??
      new Counter({ name: NAME, help: 'Events recorded in the event store (outcome=duplicate: already stored, changed nothing).', labelNames: ['domain', 'outcome'], registers: [registry] });
  }
}
