import { registeredMetric } from '@lianluo/observability';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import ari, { type Client } from 'ari-client';
import { EventEmitter } from 'node:events';
import { Counter, Gauge } from 'prom-client';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { AriHttp, type AriOperations, loadAriOperations } from './ari-operations';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * The one ARI connection of this site. Keeps trying until Asterisk answers, follows
 * ari-client's WebSocket reconnects, and starts over with a new client when those give up.
 * Emits `connected` after every (re)connection so callers can resync live calls. Events
 * come through ari-client; requests go through AriOperations (ari-operations.ts), which
 * skips swagger-client's per-request work.
 */
@Injectable()
export class AriConnection extends EventEmitter implements OnApplicationShutdown {
  private readonly logger = new Logger(AriConnection.name);
  private current: Client | undefined;
  private operations: AriOperations | undefined;
  private readonly http: AriHttp;
  private connected = false;
  private stopping = false;
  private everConnected = false;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly ariListeners: [string, (...args: any[]) => void][] = [];
  private readonly reconnects = registeredMetric('lianluo_ari_reconnects_total', () => new Counter({ name: 'lianluo_ari_reconnects_total', help: 'ARI WebSocket reconnections.', labelNames: ['site'] }));
  private readonly up = registeredMetric('lianluo_ari_connected', () => new Gauge({ name: 'lianluo_ari_connected', help: '1 while the ARI WebSocket is open.', labelNames: ['site'] }));

  constructor(@Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig) {
    super();
    this.http = new AriHttp({ url: config.ARI_URL, user: config.ARI_USER, password: config.ARI_PASSWORD });
  }

  /** Registers an ARI event listener that survives client replacement. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onAri(event: string, listener: (...args: any[]) => void): void {
    this.ariListeners.push([event, listener]);
    (this.current as unknown as EventEmitter | undefined)?.on(event, listener);
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** ARI's operations; throws when Asterisk is not reachable right now. */
  get client(): AriOperations {
    if (!this.operations || !this.connected) throw new AriUnavailable(`ARI of site ${this.config.SITE} is not connected`);
    return this.operations;
  }

  /** Connects in the background; resolves once the first connection is up. */
  async start(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!this.stopping) {
      try {
        await this.connectOnce();
        return;
      } catch (error) {
        this.logger.warn({ url: this.config.ARI_URL, err: (error as Error).message, retryInMs: delay }, 'ARI not reachable yet');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.setConnected(false);
    try {
      this.current?.stop();
    } catch {
      // already closed
    }
    this.http.close();
  }

  private async connectOnce(): Promise<void> {
    const client = await withoutSwaggerNotice(() => ari.connect(this.config.ARI_URL, this.config.ARI_USER, this.config.ARI_PASSWORD));
    // Read again with every new client: an Asterisk upgraded meanwhile may describe more.
    this.operations = await loadAriOperations(this.http);
    for (const [event, listener] of this.ariListeners) (client as unknown as EventEmitter).on(event, listener);
    client.on('WebSocketConnected', () => {
      if (this.current !== client) return;
      if (this.everConnected) this.reconnects.inc({ site: this.config.SITE });
      this.everConnected = true;
      this.setConnected(true);
      this.logger.log({ url: this.config.ARI_URL, app: this.config.ARI_APP }, 'ARI connected');
      void this.filterEvents();
      this.emit('connected');
    });
    client.on('WebSocketReconnecting', (err: Error) => {
      if (this.current !== client) return;
      this.setConnected(false);
      this.logger.warn({ err: err?.message }, 'ARI WebSocket lost, reconnecting');
    });
    client.on('WebSocketMaxRetries', () => {
      if (this.current !== client || this.stopping) return;
      this.setConnected(false);
      this.logger.warn('ARI WebSocket gave up reconnecting; starting over with a new client');
      void this.start();
    });
    this.current = client;
    await client.start(this.config.ARI_APP);
  }

  /**
   * Asks Asterisk for the event types this gateway listens to (onAri) and no others: a
   * call's channel variables, dialplan steps, caller-id and bridge bookkeeping would each
   * be a JSON snapshot Asterisk builds and sends and ari-client turns into objects, for
   * nobody. The filter lives with the application, so it is set on every (re)connection.
   */
  private async filterEvents(): Promise<void> {
    const allowed = [...new Set(this.ariListeners.map(([event]) => event))].filter((event) => /^[A-Z]/.test(event) && !event.startsWith('WebSocket'));
    try {
      await this.client.applications.filter({ applicationName: this.config.ARI_APP, filter: { allowed: allowed.map((type) => ({ type })) } } as never);
    } catch (error) {
      // Every event still comes: slower, not wrong.
      this.logger.warn({ app: this.config.ARI_APP, err: (error as Error).message }, 'ARI event filter not set; every event of the application comes');
    }
  }

  private setConnected(value: boolean): void {
    this.connected = value;
    this.up.set({ site: this.config.SITE }, value ? 1 : 0);
  }
}

/**
 * ari-client's swagger-client prints a deprecation notice with console.log on every
 * connect; it would break our JSON log lines, so it is dropped (and only it).
 */
async function withoutSwaggerNotice<T>(connect: () => Promise<T>): Promise<T> {
  /* eslint-disable no-console */
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (!String(args[0]).includes('deprecated version of Swagger')) log(...args);
  };
  try {
    return await connect();
  } finally {
    console.log = log;
  }
  /* eslint-enable no-console */
}

export class AriUnavailable extends Error {
  override readonly name = 'AriUnavailable';
}
