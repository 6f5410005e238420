import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** The subprotocol of api's live events; the access token travels as a second one, `bearer.<token>`. */
export const LIVE_PROTOCOL = 'lianluo.live.v1';

/** An event as api pushes it. */
export interface LiveEventFrame {
  /** `<domain>:<stream sequence>`. */
  readonly cursor: string;
  /** `<domain>.<event name>`, e.g. `acd.contact_offered`. */
  readonly type: string;
  /** The event's protobuf message as JSON (protobuf-es `toJson`). */
  readonly data: Record<string, unknown>;
  readonly time: string;
}

export interface LiveEventsClientOptions {
  /** Base URLs of api replicas (http://host:port): the client moves to the next when its connection ends. */
  readonly urls: readonly string[];
  readonly tenant: string;
  readonly feed: 'me' | 'board';
  /** An access token for each connection, asked again whenever it reconnects (fresh after an expiry). */
  readonly token: () => Promise<string>;
  /** Where to start (`acd:123`); absent: from now on. */
  readonly cursor?: string;
  /** Called with every event as it arrives (after it is recorded). */
  readonly onEvent?: (event: LiveEventFrame) => void;
  /** Keep the events received in `events` (default true; a bench with many clients may not want them). */
  readonly keepEvents?: boolean;
}

/** A connection the server ended, and why. */
export interface LiveClose {
  readonly code: number;
  readonly reason: string;
}

/** The longest wait between two attempts to reconnect. */
const MAX_BACKOFF_MS = 1_000;

/**
 * The client side of api's live events, as the web app does it: connects with its token and
 * its cursor, keeps the cursor of every event it receives, and when the connection ends for
 * any reason but its own `close()` — a replica killed, 1001, 1013, 4401 (token expired) —
 * reconnects to the next replica with a fresh token and that cursor, so it misses nothing.
 */
export class LiveEventsClient {
  readonly events: LiveEventFrame[] = [];
  /** Every connection the server (or the network) ended. */
  readonly closes: LiveClose[] = [];
  /** How many times `live.ready` came: 1 + successful reconnections. */
  readies = 0;
  private readonly cursor = new Map<string, number>();
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private socket: WebSocket | undefined;
  private next = 0;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: LiveEventsClientOptions) {
    for (const part of options.cursor?.split(',') ?? []) this.advance(part);
  }

  /** Connects and resolves once the server said `live.ready` (the client is following its feed). */
  async connect(): Promise<void> {
    this.running ??= this.run();
    await this.until(() => this.readies > 0);
  }

  /** `<domain>:<sequence>,…` of the last event received per domain. */
  get cursorText(): string {
    return [...this.cursor].map(([domain, sequence]) => `${domain}:${sequence}`).join(',');
  }

  /** Resolves once `check` holds, checked after every message and close; no polling. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.socket?.close(1000, 'done');
    await this.running;
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const url = this.options.urls[this.next % this.options.urls.length]!;
      const opened = await this.connectOnce(url);
      if (this.stopped) return;
      this.next++;
      if (opened) attempt = 0;
      else await sleep(Math.min(MAX_BACKOFF_MS, 50 * 2 ** attempt)); // a retry's pace, not a synchronisation
    }
  }

  /** One connection, until it ends; whether it got as far as `live.ready`. */
  private async connectOnce(base: string): Promise<boolean> {
    let token: string;
    try {
      token = await this.options.token();
    } catch {
      return false;
    }
    const url = new URL(`/v1/tenants/${encodeURIComponent(this.options.tenant)}/live`, base.replace(/^http/, 'ws'));
    url.searchParams.set('feed', this.options.feed);
    if (this.cursor.size > 0) url.searchParams.set('cursor', this.cursorText);
    const socket = new WebSocket(url, [LIVE_PROTOCOL, `bearer.${token}`]);
    this.socket = socket;
    let ready = false;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; cursor?: string };
      if (message.type === 'live.ready') {
        for (const part of message.cursor?.split(',') ?? []) this.advance(part);
        ready = true;
        this.readies++;
      } else if (message.cursor) {
        this.advance(message.cursor);
        if (this.options.keepEvents !== false) this.events.push(message as LiveEventFrame);
        this.options.onEvent?.(message as LiveEventFrame);
      }
      this.wake();
    });
    await new Promise<void>((resolve) => {
      socket.on('error', () => undefined); // a close follows
      socket.on('close', (code, reason) => {
        if (!this.stopped) this.closes.push({ code, reason: reason.toString() });
        resolve();
      });
    });
    this.wake();
    return ready;
  }

  private advance(part: string): void {
    const at = part.lastIndexOf(':');
    if (at > 0) this.cursor.set(part.slice(0, at), Number(part.slice(at + 1)));
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.check()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
