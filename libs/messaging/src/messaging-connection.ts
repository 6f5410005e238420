import { type JetStreamClient, type JetStreamManager, type NatsConnection, RetentionPolicy, StorageType, connect, nanos } from 'nats';
import { MESSAGING_DEFAULTS, type MessagingOptions, type ResolvedMessagingOptions } from './messaging.options';
import { DEAD_LETTER_DOMAIN, streamNameOf } from './subjects';

/** One NATS connection per process, with its JetStream handles and the namespace it speaks in. */
export class MessagingConnection {
  private readonly ensuredStreams = new Map<string, Promise<string>>();

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly options: ResolvedMessagingOptions,
  ) {}

  static async connect(options: MessagingOptions): Promise<MessagingConnection> {
    const nc = await connect({
      servers: typeof options.servers === 'string' ? options.servers.split(',') : options.servers,
      name: options.connectionName,
      user: options.user,
      pass: options.pass,
      token: options.token,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Otherwise every request captures a stack trace (an Error) up front, only to decorate
      // a timeout that almost never comes. Our command client names the subject and the
      // timeout in its own errors.
      noAsyncTraces: true,
    });
    const jsm = await nc.jetstreamManager();
    return new MessagingConnection(nc, nc.jetstream(), jsm, { ...MESSAGING_DEFAULTS, ...stripUndefined(options) });
  }

  get namespace(): string {
    return this.options.namespace;
  }

  /**
   * Creates the domain's stream, or brings its configuration up to date; safe to call from
   * every replica at every start-up.
   */
  ensureStream(domain: string): Promise<string> {
    let ensured = this.ensuredStreams.get(domain);
    if (!ensured) {
      ensured = this.createOrUpdateStream(domain);
      ensured.catch(() => this.ensuredStreams.delete(domain));
      this.ensuredStreams.set(domain, ensured);
    }
    return ensured;
  }

  ensureDeadLetterStream(): Promise<string> {
    return this.ensureStream(DEAD_LETTER_DOMAIN);
  }

  /**
   * Deletes a durable consumer of the domain's stream that no handler uses any more (after
   * a rename or a split); nothing when it is not there. Without this a retired durable stays
   * on the server, behind by every event since.
   */
  async retireConsumer(domain: string, durable: string): Promise<boolean> {
    try {
      return await this.jsm.consumers.delete(await this.ensureStream(domain), durable);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  isConnected(): boolean {
    return !this.nc.isClosed() && !this.nc.isDraining() && this.nc.info !== undefined;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  private async createOrUpdateStream(domain: string): Promise<string> {
    const name = streamNameOf(this.namespace, domain);
    const config = {
      name,
      subjects: [`${this.namespace}.*.${domain}.event.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(this.options.streamMaxAgeMs),
      duplicate_window: nanos(this.options.duplicateWindowMs),
    };
    try {
      await this.jsm.streams.info(name);
      await this.jsm.streams.update(name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await this.jsm.streams.add(config);
      } catch (addError) {
        // Another replica created it between our info and add.
        if (!/already in use/i.test(String((addError as Error).message))) throw addError;
      }
    }
    return name;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { api_error?: { err_code?: number }; message?: string };
  // 10059: stream not found; 10014: consumer not found.
  return e.api_error?.err_code === 10059 || e.api_error?.err_code === 10014 || /(stream|consumer) not found/i.test(e.message ?? '');
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
