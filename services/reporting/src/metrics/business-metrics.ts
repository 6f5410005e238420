import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type Pool } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { CLOCK, type Clock } from '../clock';
import { quarterHourStart } from '../intervals/interval-start';
import { REPORTING_CONFIG, type ReportingConfig } from '../reporting.config';

/** A contact queued longer ago than this without an outcome is a lost end, not a caller still waiting. */
const STALE_WAIT_MS = 24 * 3600_000;

/**
 * The live business gauges, read from the projections when Prometheus scrapes, so every
 * replica reports the same values and none keeps state of its own. Labels are tenant,
 * queue, site and state: bounded by configuration, never by traffic.
 */
@Injectable()
export class BusinessMetrics implements OnModuleDestroy {
  private readonly logger = new Logger(BusinessMetrics.name);
  private readonly names: string[] = [];
  readonly queryFailures: Counter<'gauge'>;

  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    @Inject(REPORTING_CONFIG) private readonly config: ReportingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: Registry,
  ) {
    this.queryFailures = this.counter('lianluo_reporting_metric_query_failures_total', 'Scrapes whose business gauge could not be read from PostgreSQL.', ['gauge']);
    this.gauge('lianluo_queue_contacts_waiting', 'Contacts queued now and not yet answered, abandoned or overflowed.', ['tenant', 'queue'], async (set) => {
      for (const row of await this.queueRows()) set({ tenant: row.tenant, queue: row.queue }, row.waiting);
    });
    this.gauge('lianluo_queue_oldest_wait_seconds', 'How long the longest-waiting contact of the queue has waited (0 when none waits).', ['tenant', 'queue'], async (set) => {
      for (const row of await this.queueRows()) set({ tenant: row.tenant, queue: row.queue }, row.oldest_wait_seconds);
    });
    this.gauge('lianluo_agents', 'Agents logged in, by state and site.', ['tenant', 'site', 'state'], async (set) => {
      const { rows } = await this.pool.query<{ tenant: string; site: string; state: string; agents: number }>(
        `SELECT tenant, site, state, count(*)::int AS agents FROM agent_state_interval
          WHERE ended_at IS NULL AND state <> 'logged-out' GROUP BY tenant, site, state`,
      );
      for (const row of rows) set({ tenant: row.tenant, site: row.site, state: row.state }, row.agents);
    });
    this.gauge(
      'lianluo_queue_service_level_ratio',
      `Contacts queued in the current 15-minute interval and answered within SERVICE_LEVEL_SECONDS, over those queued in it.`,
      ['tenant', 'queue'],
      async (set) => {
        for (const row of await this.currentInterval()) if (row.offered > 0) set({ tenant: row.tenant, queue: row.queue }, row.answered_within / row.offered);
      },
    );
    this.gauge('lianluo_queue_abandon_ratio', 'Contacts queued in the current 15-minute interval that abandoned, over those queued in it.', ['tenant', 'queue'], async (set) => {
      for (const row of await this.currentInterval()) if (row.offered > 0) set({ tenant: row.tenant, queue: row.queue }, row.abandoned / row.offered);
    });
    this.gauge('lianluo_queue_contacts_offered_current_interval', 'Contacts queued in the current 15-minute interval.', ['tenant', 'queue'], async (set) => {
      for (const row of await this.currentInterval()) set({ tenant: row.tenant, queue: row.queue }, row.offered);
    });
  }

  onModuleDestroy(): void {
    for (const name of this.names) this.registry.removeSingleMetric(name);
  }

  /** Every queue seen in the last day, with its waiting contacts (0 for none, so dashboards show the queue). */
  private async queueRows() {
    const now = this.clock();
    const { rows } = await this.pool.query<{ tenant: string; queue: string; waiting: number; oldest_wait_seconds: number }>(
      `SELECT tenant, queue, count(*) FILTER (WHERE outcome = 'waiting' AND queued_at > $2)::int AS waiting,
              coalesce(extract(epoch FROM $1 - min(queued_at) FILTER (WHERE outcome = 'waiting' AND queued_at > $2)), 0)::float8 AS oldest_wait_seconds
         FROM contact WHERE queue IS NOT NULL AND queued_at > $2 GROUP BY tenant, queue`,
      [new Date(now), new Date(now - STALE_WAIT_MS)],
    );
    return rows;
  }

  private async currentInterval() {
    const { rows } = await this.pool.query<{ tenant: string; queue: string; offered: number; answered_within: number; abandoned: number }>(
      `SELECT tenant, queue, count(*)::int AS offered,
              count(*) FILTER (WHERE outcome = 'answered' AND wait_seconds <= $2)::int AS answered_within,
              count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned
         FROM contact WHERE queue IS NOT NULL AND queued_at >= $1 GROUP BY tenant, queue`,
      [new Date(quarterHourStart(this.clock())), this.config.SERVICE_LEVEL_SECONDS],
    );
    return rows;
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    this.registry.removeSingleMetric(name);
    this.names.push(name);
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[], read: (set: (labels: Record<L, string>, value: number) => void) => Promise<void>): void {
    this.registry.removeSingleMetric(name);
    this.names.push(name);
    const failures = this.queryFailures;
    const logger = this.logger;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          await read((labels, value) => this.set(labels as never, value));
        } catch (error) {
          // A scrape still answers with the other metrics; the failure is counted and logged.
          failures.inc({ gauge: name });
          logger.warn({ err: error, gauge: name }, 'business gauge not read');
        }
      },
    });
  }
}
