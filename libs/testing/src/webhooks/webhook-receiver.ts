import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request a WebhookReceiver took, as it came. */
export interface ReceivedWebhook {
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** performance.now() of this process when the request had arrived whole. */
  readonly receivedAtMs: number;
  /** The status it was answered with; undefined while it is still held, or if it never was answered. */
  status?: number;
}

/** How the receiver answers a request: a status now, or later (a slow or hanging receiver). */
export type WebhookAnswer = (request: ReceivedWebhook, earlier: readonly ReceivedWebhook[]) => number | Promise<number>;

/**
 * A local HTTP server that plays a webhook receiver for tests: it keeps every request (path,
 * headers, raw body) and answers as the test says, per path. Verifying signatures is the
 * test's business, with the scheme the service documents.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, WebhookAnswer>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void receiver.take(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The receiver's base URL, e.g. http://127.0.0.1:40123; any path under it takes webhooks. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** How requests to `path` are answered from now on (204 until said otherwise). */
  answer(path: string, answer: WebhookAnswer): void {
    this.answers.set(path, answer);
  }

  /** The requests to `path`, in the order they arrived. */
  at(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async take(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://receiver').pathname;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    const received: ReceivedWebhook = { path, headers, body: Buffer.concat(chunks).toString('utf8'), receivedAtMs: performance.now() };
    const earlier = this.at(path);
    this.received.push(received);
    const status = await (this.answers.get(path) ?? (() => 204))(received, earlier);
    if (response.destroyed) return; // the sender hung up (or died) first
    received.status = status;
    response.writeHead(status).end();
  }
}
