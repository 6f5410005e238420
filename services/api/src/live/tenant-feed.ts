import { type MessagingConnection, streamNameOf } from '@lianluo/messaging';
import { Logger } from '@nestjs/common';
import { type Consumer, type ConsumerMessages, type JsMsg } from 'nats';
import { liveEventOf } from './live-event';
import { type LiveSession } from './live-session';
import { type LiveMetrics } from './live.metrics';

/** The subjects of one tenant's events of one domain. */
export function tenantEventFilter(namespace: string, tenant: string, domain: string): string {
  return `${namespace}.${tenant}.${domain}.event.>`;
}

/**
 * The one subscription of this replica to a tenant's events of one domain (an ordered
 * JetStream consumer, so each event comes once, in stream order, with its sequence), fanned
 * out to the tenant's connected clients: those watching the whole tenant, and those following
 * the agent the event is about. It starts after the last event stored when it was created.
 */
export class TenantFeed {
  private readonly logger = new Logger(TenantFeed.name);
  private readonly watchers = new Set<LiveSession>();
  private readonly byAgent = new Map<string, Set<LiveSession>>();
  private consumer: Consumer | undefined;
  private messages: ConsumerMessages | undefined;
  readonly started: Promise<void>;

  constructor(
    private readonly connection: MessagingConnection,
    readonly tenant: string,
    readonly domain: string,
    private readonly metrics: LiveMetrics,
  ) {
    this.started = this.start();
  }

  get isEmpty(): boolean {
    return this.watchers.size === 0 && this.byAgent.size === 0;
  }

  add(session: LiveSession): void {
    if (session.agentId === undefined) {
      this.watchers.add(session);
      return;
    }
    let sessions = this.byAgent.get(session.agentId);
    if (!sessions) this.byAgent.set(session.agentId, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: LiveSession): void {
    if (session.agentId === undefined) {
      this.watchers.delete(session);
      return;
    }
    const sessions = this.byAgent.get(session.agentId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byAgent.delete(session.agentId);
  }

  async stop(): Promise<void> {
    await this.started.catch(() => undefined);
    await this.messages?.close();
    await this.consumer?.delete().catch(() => false);
  }

  private async start(): Promise<void> {
    const { connection, tenant, domain } = this;
    const stream = await connection.ensureStream(domain);
    const { state } = await connection.jsm.streams.info(stream);
    this.consumer = await connection.js.consumers.get(stream, {
      filterSubjects: tenantEventFilter(connection.namespace, tenant, domain),
      opt_start_seq: state.last_seq + 1,
    });
    this.messages = await this.consumer.consume({ callback: (message) => this.dispatch(message) });
    this.logger.debug({ stream: streamNameOf(connection.namespace, domain), tenant, after: state.last_seq }, 'tenant feed started');
  }

  private dispatch(message: JsMsg): void {
    const event = liveEventOf(this.domain, message);
    if (typeof event === 'string') {
      this.metrics.dropped.inc({ domain: this.domain, reason: event });
      return;
    }
    for (const session of this.watchers) session.offer(event);
    const followers = event.agentId === undefined ? undefined : this.byAgent.get(event.agentId);
    if (followers) for (const session of followers) session.offer(event);
  }
}
