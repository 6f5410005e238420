import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { REPORTING_CONFIG, type ReportingConfig } from '../reporting.config';
import { type PerformanceCounts, type PerformanceFigures, performanceFigures } from './performance-figures';
import {
  type AgentStatesQuery,
  type InteractionsQuery,
  type PerformanceDimension,
  type PerformanceQuery,
  type QueueIntervalsQuery,
  type ReportInterval,
} from './report-query';

/** One page of a report: rows, and the number of the next page when there is one. */
export interface ReportPage<Row> {
  readonly items: Row[];
  readonly page: number;
  readonly pageSize: number;
  readonly nextPage: number | null;
}

export type PerformanceRow = Partial<Record<Exclude<PerformanceDimension, 'interval'>, string | null>> & { intervalStart?: string } & PerformanceFigures;

/** Builds SQL with numbered parameters, so no value is ever spliced into the text. */
class Sql {
  readonly values: unknown[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const PERIOD = 'coalesce(queued_at, started_at, first_fact_at)';

const DIMENSION_COLUMNS: Record<Exclude<PerformanceDimension, 'interval'>, string> = {
  queue: 'queue',
  site: 'site',
  agent: 'agent_id',
  agentSite: 'agent_site',
  channel: 'channel',
};

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** The report queries, all read from the projections the event store keeps. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    @Inject(REPORTING_CONFIG) private readonly config: ReportingConfig,
  ) {}

  /**
   * Contacts count in the period they were queued in (or started in, if never queued).
   * Offered = queued; service level = answered within the threshold / offered.
   */
  async performance(query: PerformanceQuery): Promise<ReportPage<PerformanceRow>> {
    const sql = new Sql();
    const where = [`tenant = ${sql.param(query.tenant)}`, `${PERIOD} >= ${sql.param(new Date(query.from))}`, `${PERIOD} < ${sql.param(new Date(query.to))}`];
    for (const [filter, column] of [['queue', 'queue'], ['site', 'site'], ['agent', 'agent_id'], ['channel', 'channel']] as const) {
      const values = query[filter];
      if (values) where.push(`${column} = ANY(${sql.param(values)})`);
    }
    const threshold = sql.param(query.serviceLevelSeconds);
    const groups = query.groupBy.map((dimension) =>
      dimension === 'interval' ? { alias: 'interval_start', expression: this.intervalExpression(query.interval, sql) } : { alias: dimension, expression: DIMENSION_COLUMNS[dimension] },
    );
    const select = groups.map((group) => `${group.expression} AS "${group.alias}"`);
    const queued = 'queued_at IS NOT NULL';
    const answered = `outcome = 'answered' AND ${queued}`;
    const text = `
      SELECT ${[...select,
        'count(*)::int AS contacts',
        `count(*) FILTER (WHERE ${queued})::int AS offered`,
        `count(*) FILTER (WHERE ${answered})::int AS answered`,
        `count(*) FILTER (WHERE ${answered} AND wait_seconds <= ${threshold})::int AS answered_within`,
        `count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned`,
        `count(*) FILTER (WHERE outcome = 'overflowed')::int AS overflowed`,
        `count(*) FILTER (WHERE outcome = 'withdrawn')::int AS withdrawn`,
        `avg(wait_seconds) FILTER (WHERE ${answered}) AS asa`,
        `avg(handle_seconds) FILTER (WHERE ${answered} AND handle_seconds IS NOT NULL) AS aht`,
        `avg(wait_seconds) FILTER (WHERE outcome = 'abandoned') AS abandon_wait`,
      ].join(', ')}
      FROM contact WHERE ${where.join(' AND ')}
      ${groups.length > 0 ? `GROUP BY ${groups.map((_, i) => i + 1).join(', ')} ORDER BY ${groups.map((_, i) => `${i + 1} NULLS FIRST`).join(', ')}` : ''}
      ${this.pageClause(query, sql)}`;
    const { rows } = await this.pool.query(text, sql.values);
    return this.page(query, rows, (row) => {
      const counts: PerformanceCounts = {
        contacts: row.contacts,
        offered: row.offered,
        answered: row.answered,
        answeredWithinThreshold: row.answered_within,
        abandoned: row.abandoned,
        overflowed: row.overflowed,
        withdrawn: row.withdrawn,
        asaSeconds: row.asa,
        ahtSeconds: row.aht,
        averageAbandonSeconds: row.abandon_wait,
      };
      const keys: Record<string, string | null> = {};
      for (const group of groups) keys[group.alias === 'interval_start' ? 'intervalStart' : group.alias] = group.alias === 'interval_start' ? iso(row.interval_start) : row[group.alias];
      return { ...keys, ...performanceFigures(counts) } as PerformanceRow;
    });
  }

  /** Seconds per state for each agent and site in the period, and occupancy: (busy + wrap-up) / time available or working. */
  async agentStates(query: AgentStatesQuery, nowMs: number) {
    const sql = new Sql();
    const from = sql.param(new Date(query.from));
    const to = sql.param(new Date(query.to));
    const now = sql.param(new Date(nowMs));
    const where = [`tenant = ${sql.param(query.tenant)}`, `started_at < ${to}`, `coalesce(ended_at, ${now}) > ${from}`];
    if (query.agent) where.push(`agent_id = ANY(${sql.param(query.agent)})`);
    if (query.site) where.push(`site = ANY(${sql.param(query.site)})`);
    const seconds = (state: string) => `coalesce(sum(seconds) FILTER (WHERE state = '${state}'), 0)::float8`;
    const { rows } = await this.pool.query(
      `SELECT agent_id, site, ${seconds('ready')} AS ready, ${seconds('not-ready')} AS not_ready, ${seconds('reserved')} AS reserved,
              ${seconds('busy')} AS busy, ${seconds('wrap-up')} AS wrap_up
         FROM (SELECT agent_id, site, state,
                      extract(epoch FROM least(coalesce(ended_at, ${now}), ${to}) - greatest(started_at, ${from})) AS seconds
                 FROM agent_state_interval WHERE ${where.join(' AND ')}) clipped
        GROUP BY agent_id, site ORDER BY agent_id, site ${this.pageClause(query, sql)}`,
      sql.values,
    );
    return this.page(query, rows, (row) => {
      const working = row.busy + row.wrap_up;
      const available = working + row.ready + row.reserved;
      return {
        agent: row.agent_id as string,
        site: row.site as string,
        readySeconds: row.ready as number,
        notReadySeconds: row.not_ready as number,
        reservedSeconds: row.reserved as number,
        busySeconds: row.busy as number,
        wrapUpSeconds: row.wrap_up as number,
        occupancy: available === 0 ? null : working / available,
      };
    });
  }

  /** The rows kept per queue and interval, with the service level at each threshold they count. */
  async queueIntervals(query: QueueIntervalsQuery) {
    const sql = new Sql();
    const where = [
      `tenant = ${sql.param(query.tenant)}`,
      `granularity = ${sql.param(query.granularity)}`,
      `interval_start >= ${sql.param(new Date(query.from))}`,
      `interval_start < ${sql.param(new Date(query.to))}`,
    ];
    if (query.queue) where.push(`queue = ANY(${sql.param(query.queue)})`);
    const { rows } = await this.pool.query(
      `SELECT * FROM queue_interval WHERE ${where.join(' AND ')} ORDER BY interval_start, queue, channel, site ${this.pageClause(query, sql)}`,
      sql.values,
    );
    return this.page(query, rows, (row) => {
      const answered = row.answered as number;
      const offered = row.offered as number;
      const within = (n: number) => (offered === 0 ? null : n / offered);
      return {
        intervalStart: iso(row.interval_start),
        queue: row.queue as string,
        channel: row.channel as string,
        site: row.site as string,
        offered,
        answered,
        abandoned: row.abandoned as number,
        overflowed: row.overflowed as number,
        serviceLevel10s: within(row.answered_within_10s),
        serviceLevel20s: within(row.answered_within_20s),
        serviceLevel30s: within(row.answered_within_30s),
        serviceLevel60s: within(row.answered_within_60s),
        asaSeconds: answered === 0 ? null : Number(row.wait_ms_answered) / answered / 1000,
        ahtSeconds: row.handled === 0 ? null : Number(row.handle_ms) / row.handled / 1000,
        abandonRate: within(row.abandoned),
        averageAbandonSeconds: row.abandoned === 0 ? null : Number(row.abandon_wait_ms) / row.abandoned / 1000,
      };
    });
  }

  /** Every contact of a customer (by customer id or calling number), newest first (AG-2). */
  async interactions(customer: string, query: InteractionsQuery) {
    const sql = new Sql();
    const tenant = sql.param(query.tenant);
    const who = sql.param(customer);
    const { rows } = await this.pool.query(
      `SELECT * FROM contact WHERE tenant = ${tenant} AND (customer_id = ${who} OR ani = ${who})
        ORDER BY ${PERIOD} DESC, contact_id ${this.pageClause(query, sql)}`,
      sql.values,
    );
    return this.page(query, rows, (row) => ({
      contactId: row.contact_id as string,
      channel: row.channel as string,
      outcome: row.outcome as string,
      site: row.site as string | null,
      ani: row.ani as string | null,
      dnis: row.dnis as string | null,
      customerId: row.customer_id as string | null,
      queue: row.queue as string | null,
      agent: row.agent_id as string | null,
      agentSite: row.agent_site as string | null,
      startedAt: iso(row.started_at),
      ivrFlow: row.ivr_flow as string | null,
      ivrOutcome: row.ivr_outcome as string | null,
      ivrEndedAt: iso(row.ivr_ended_at),
      queuedAt: iso(row.queued_at),
      agentAnsweredAt: iso(row.agent_answered_at),
      transferredAt: iso(row.transferred_at),
      overflowedAt: iso(row.overflowed_at),
      abandonedAt: iso(row.abandoned_at),
      withdrawnAt: iso(row.withdrawn_at),
      queueChoice: row.queue_choice as string | null,
      endedAt: iso(row.ended_at),
      releasedAt: iso(row.released_at),
      wrapUpEndedAt: iso(row.wrap_up_ended_at),
      wrapUpCode: row.wrap_up_code as string | null,
      notes: row.notes as string | null,
      voicemailMessageId: row.voicemail_message_id as string | null,
      waitSeconds: row.wait_seconds as number | null,
      talkSeconds: row.talk_seconds as number | null,
      wrapUpSeconds: row.wrap_up_seconds as number | null,
      handleSeconds: row.handle_seconds as number | null,
      transfers: row.transfers as number,
      ringNoAnswers: row.ring_no_answers as number,
    }));
  }

  private intervalExpression(interval: ReportInterval, sql: Sql): string {
    switch (interval) {
      case '15m':
        return `date_bin('15 minutes', ${PERIOD}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
      case '1h':
        return `date_bin('1 hour', ${PERIOD}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
      case '1d':
        return `date_trunc('day', ${PERIOD}, ${sql.param(this.config.REPORT_TIME_ZONE)})`;
    }
  }

  /** One more row than the page holds tells whether there is a next page. */
  private pageClause(query: { page: number; pageSize: number }, sql: Sql): string {
    return `LIMIT ${sql.param(query.pageSize + 1)} OFFSET ${sql.param((query.page - 1) * query.pageSize)}`;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private page<Row>(query: { page: number; pageSize: number }, rows: any[], toRow: (row: any) => Row): ReportPage<Row> {
    return {
      items: rows.slice(0, query.pageSize).map(toRow),
      page: query.page,
      pageSize: query.pageSize,
      nextPage: rows.length > query.pageSize ? query.page + 1 : null,
    };
  }
}
