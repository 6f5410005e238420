import { registeredMetric } from '@lianluo/observability';
import { CLOCK, type Clock } from '@lianluo/call-client';
import { fromBinary } from '@bufbuild/protobuf';
import { AcdCommands, ALL_VOICEMAIL_EVENTS, type CommandDefinition, ErrorKind, type EventDefinition } from '@lianluo/contracts';
import { CommandClient, EventPublisher } from '@lianluo/messaging';
import { POSTGRES, inTransaction } from '@lianluo/postgres';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Context, ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { type Pool, type PoolClient } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { VOICEMAIL_CONFIG, type VoicemailConfig } from '../voicemail.config';
import { type OutboxEntry } from './outbox';

/** Rows one relay pass claims at a time. */
const BATCH = 50;
/** Longest wait between two tries of one row. */
const MAX_RETRY_DELAY_S = 300;

/** What the outbox may hold, by `kind:domain.name`. */
const EVENTS = new Map<string, EventDefinition>(ALL_VOICEMAIL_EVENTS.map((d) => [`${d.domain}.${d.name}`, d as EventDefinition]));
const COMMANDS = new Map<string, CommandDefinition>([AcdCommands.enqueueContact].map((d) => [`${d.domain}.${d.name}`, d as unknown as CommandDefinition]));

/** Command errors that will not change by asking again: the row is set aside, not retried. */
const REFUSALS = new Set([ErrorKind.INVALID_ARGUMENT, ErrorKind.NOT_FOUND, ErrorKind.FAILED_PRECONDITION, ErrorKind.GONE]);

class Refused extends Error {}

/**
 * Sends what the outbox holds: events to JetStream, commands (the work item for acd) by
 * request/reply, then marks each row sent. Kicked right after every commit that adds to
 * the outbox, and swept on a timer for rows a dead replica left behind or that failed.
 * Rows are claimed with SKIP LOCKED so replicas never send one at the same time; sending
 * one twice (a crash between sending and marking) is harmless, as JetStream drops the
 * repeated Nats-Msg-Id and commands are idempotent by command and contact id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | undefined;
  private again = false;
  private timer: unknown;
  private stopped = false;
  private readonly sentTotal = registeredMetric(
    'lianluo_voicemail_outbox_sent_total',
    () => new Counter({ name: 'lianluo_voicemail_outbox_sent_total', help: 'Outbox events and commands sent, by outcome (sent, retry, refused).', labelNames: ['name', 'outcome'] }),
  );
  private readonly pending = registeredMetric(
    'lianluo_voicemail_outbox_pending',
    () => new Gauge({ name: 'lianluo_voicemail_outbox_pending', help: 'Outbox events and commands not yet sent, as of the last relay pass.' }),
  );

  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    private readonly publisher: EventPublisher,
    private readonly commands: CommandClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VOICEMAIL_CONFIG) private readonly config: VoicemailConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    await this.running;
  }

  /** Sends what is due now; resolves when a pass found nothing more to send. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.relayBatch()) === BATCH);
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.error({ err: error }, 'outbox relay pass failed; the next sweep retries');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.kick().finally(() => this.schedule());
    }, this.config.OUTBOX_SWEEP_MS);
  }

  /** One batch in one transaction: claim what is due, send each, mark. Returns how many rows it claimed. */
  private async relayBatch(): Promise<number> {
    return inTransaction(this.pool, async (tx) => {
      const { rows } = await tx.query<OutboxEntry>(
        `SELECT id, kind, domain, name, message_key AS "messageKey", payload, traceparent, attempts FROM outbox
          WHERE published_at IS NULL AND refused_at IS NULL AND next_attempt_at <= now()
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const entry of rows) await this.relay(tx, entry);
      const { rows: count } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND refused_at IS NULL');
      this.pending.set(count[0]?.n ?? 0);
      return rows.length;
    });
  }

  private async relay(tx: PoolClient, entry: OutboxEntry): Promise<void> {
    const name = `${entry.domain}.${entry.name}`;
    const traceContext = entry.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: entry.traceparent }) : ROOT_CONTEXT;
    try {
      await context.with(traceContext, () => this.send(entry, traceContext));
      await tx.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [entry.id]);
      this.sentTotal.inc({ name, outcome: 'sent' });
    } catch (error) {
      const reason = String((error as Error).message).slice(0, 1000);
      if (error instanceof Refused) {
        this.sentTotal.inc({ name, outcome: 'refused' });
        this.logger.error({ outboxId: entry.id, messageKey: entry.messageKey, reason }, `${name} was refused; it is set aside in the outbox`);
        await tx.query('UPDATE outbox SET refused_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1', [entry.id, reason]);
        return;
      }
      this.sentTotal.inc({ name, outcome: 'retry' });
      this.logger.warn({ outboxId: entry.id, messageKey: entry.messageKey, attempts: entry.attempts + 1, reason }, `${name} not sent yet; retried later`);
      await tx.query(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + make_interval(secs => least(${MAX_RETRY_DELAY_S}, 2 ^ least(attempts, 10))) WHERE id = $1`,
        [entry.id, reason],
      );
    }
  }

  private async send(entry: OutboxEntry, traceContext: Context): Promise<void> {
    const key = `${entry.domain}.${entry.name}`;
    if (entry.kind === 'event') {
      const definition = EVENTS.get(key);
      if (!definition) throw new Refused(`this version cannot publish the event ${key}`);
      await this.publisher.publish(definition, fromBinary(definition.schema, entry.payload), { traceContext });
      return;
    }
    const definition = COMMANDS.get(key);
    if (!definition) throw new Refused(`this version cannot send the command ${key}`);
    const outcome = await this.commands.request(definition, fromBinary(definition.request, entry.payload), { timeoutMs: this.config.COMMAND_TIMEOUT_MS });
    if (outcome.ok) return;
    const text = `${ErrorKind[outcome.error.kind] ?? outcome.error.kind}${outcome.error.field ? ` (${outcome.error.field})` : ''}: ${outcome.error.message}`;
    throw REFUSALS.has(outcome.error.kind) ? new Refused(text) : new Error(text);
  }
}
