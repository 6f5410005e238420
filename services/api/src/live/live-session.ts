import { type Principal } from '../auth/principal';
import { type AppAbility } from '../policy/ability';
import { LiveCloseCode } from './live-close-code';
import { type LiveCursor } from './live-cursor';
import { type LiveEvent } from './live-event';
import { type LiveFeedName, agentFollowed } from './live-feed';
import { type LiveMetrics } from './live.metrics';

/** The part of a WebSocket a session uses. */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: false }): void;
  /** `done` once everything sent before it is written out: how a replay waits for a slow client. */
  ping(data: undefined, mask: undefined, done: (error?: Error) => void): void;
  close(code: number, reason: string): void;
}

export interface LiveSessionLimits {
  /** Bytes queued on the socket beyond which the client counts as too slow and is closed. */
  readonly maxBufferedBytes: number;
  /** Live events held while the replay before them is sent, beyond which the same holds. */
  readonly maxHeldEvents: number;
}

/**
 * One connected client: what it follows, where it is in each domain, and the policy deciding
 * every event it is sent. An event reaches it from its tenant's feed (live) or from a replay
 * of the stream after a reconnect; while a domain is being replayed, its live events wait, and
 * an event whose sequence the client already has is never sent again.
 */
export class LiveSession {
  readonly agentId: string | undefined;
  /** The last sequence sent (or skipped) per domain. */
  private readonly sent = new Map<string, number>();
  /** Live events held per domain while its replay runs. */
  private readonly held = new Map<string, LiveEvent[]>();
  /** The policy's verdict per tenant and agent an event is about: the ability is the connection's for its whole life. */
  private readonly verdicts = new Map<string, boolean>();
  private closed = false;

  constructor(
    private readonly socket: LiveSocket,
    readonly principal: Principal,
    readonly tenant: string,
    readonly feed: LiveFeedName,
    private readonly ability: AppAbility,
    private readonly limits: LiveSessionLimits,
    private readonly metrics: LiveMetrics,
  ) {
    this.agentId = agentFollowed(principal, feed);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** From now on, `domain`'s live events wait until `endReplay`. */
  holdLive(domain: string): void {
    this.held.set(domain, []);
  }

  /** The client has every event of `domain` up to `seq` (its cursor, or where it starts). */
  startAt(domain: string, seq: number): void {
    this.sent.set(domain, seq);
  }

  cursor(): LiveCursor {
    return new Map(this.sent);
  }

  /** An event of the tenant's live feed. */
  offer(event: LiveEvent): void {
    const held = this.held.get(event.domain);
    if (!held) return this.push(event, 'live');
    held.push(event);
    if (held.length > this.limits.maxHeldEvents) this.tooSlow(event.domain);
  }

  /** An event of the replay of `domain` after the client's cursor; resolves when the client may take more. */
  async replay(event: LiveEvent): Promise<void> {
    this.push(event, 'replay');
    if (!this.closed && this.socket.bufferedAmount > this.limits.maxBufferedBytes / 2) {
      await new Promise<void>((resolve) => this.socket.ping(undefined, undefined, () => resolve()));
    }
  }

  /** The replay of `domain` is done: the held live events follow it, those it already sent left out. */
  endReplay(domain: string): void {
    const held = this.held.get(domain) ?? [];
    this.held.delete(domain);
    for (const event of held) this.push(event, 'live');
  }

  /** Sends a control message (`live.*`), which carries no event. */
  sendControl(message: { type: string } & Record<string, unknown>): void {
    if (!this.closed) this.socket.send(Buffer.from(JSON.stringify(message)), { binary: false });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  /** The socket closed, whoever closed it. */
  markClosed(): void {
    this.closed = true;
  }

  private push(event: LiveEvent, mode: 'live' | 'replay'): void {
    if (this.closed || event.seq <= (this.sent.get(event.domain) ?? 0)) return;
    this.sent.set(event.domain, event.seq);
    if (!this.follows(event) || !this.mayRead(event)) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) return this.tooSlow(event.domain);
    this.socket.send(event.frame, { binary: false });
    this.metrics.pushed.inc({ domain: event.domain, mode });
  }

  private follows(event: LiveEvent): boolean {
    return this.agentId === undefined || event.agentId === this.agentId;
  }

  private mayRead(event: LiveEvent): boolean {
    const key = `${event.tenant}/${event.agentId ?? ''}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = this.ability.can('read', { kind: 'LiveEvent', tenant: event.tenant, ...(event.agentId === undefined ? {} : { agentId: event.agentId }) });
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** Closing, not skipping: the client resumes from its cursor and misses nothing. */
  private tooSlow(domain: string): void {
    this.metrics.dropped.inc({ domain, reason: 'slow_client' });
    this.close(LiveCloseCode.TOO_SLOW, 'too slow: reconnect with your cursor');
  }
}
