// A Stasis application just big enough for this library's own tests: it receives ARI
// events over a WebSocket (a minimal RFC 6455 client on node:http, as Node 20 has none) and
// calls ARI's REST API. The services speak ARI through the media gateway, not this.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { type Socket } from 'node:net';

export interface AriEvent {
  readonly type: string;
  readonly application?: string;
  readonly channel?: { id: string; name: string; state: string; caller: { number: string }; dialplan: { context: string; exten: string } };
  readonly digit?: string;
  readonly args?: string[];
  readonly [key: string]: unknown;
}

interface Waiter {
  readonly match: (event: AriEvent) => boolean;
  readonly resolve: (event: AriEvent) => void;
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class AriTestApp {
  readonly events: AriEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private buffered = Buffer.alloc(0);
  private fragments: Buffer[] = [];

  private constructor(
    private readonly baseUrl: string,
    private readonly authorization: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
  }

  /** Registers Stasis application `app` on the Asterisk at `baseUrl` and listens to its events. */
  static connect(baseUrl: string, user: string, password: string, app: string): Promise<AriTestApp> {
    const authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    const key = randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = request(`${baseUrl}/ari/events?app=${encodeURIComponent(app)}`, {
        headers: { authorization, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key },
        timeout: 5_000,
      });
      req.once('upgrade', (response, socket, head) => {
        const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
        if (response.headers['sec-websocket-accept'] !== accept) {
          socket.destroy();
          reject(new Error('ARI answered the WebSocket handshake wrongly'));
          return;
        }
        const client = new AriTestApp(baseUrl, authorization, socket);
        if (head.length > 0) client.receive(head);
        resolve(client);
      });
      req.once('response', (response) => reject(new Error(`ARI refused the WebSocket: HTTP ${response.statusCode}`)));
      req.once('timeout', () => req.destroy(new Error('ARI WebSocket handshake timed out')));
      req.once('error', reject);
      req.end();
    });
  }

  /** The first event, past or future, that `match` accepts. */
  next(match: (event: AriEvent) => boolean): Promise<AriEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.add({ match, resolve }));
  }

  /** Calls ARI's REST API; resolves with the parsed JSON body (undefined when empty), rejects on an error status. */
  async rest(method: string, path: string, query: Record<string, string> = {}): Promise<unknown> {
    const url = `${this.baseUrl}/ari${path}?${new URLSearchParams(query).toString()}`;
    const response = await fetch(url, { method, headers: { authorization: this.authorization } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  close(): void {
    if (this.socket.destroyed) return;
    this.socket.end(frame(0x8, Buffer.from([0x03, 0xe8]))); // 1000, normal closure
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const parsed = parseFrame(this.buffered);
      if (!parsed) return;
      this.buffered = this.buffered.subarray(parsed.size);
      if (parsed.opcode === 0x9) this.socket.write(frame(0xa, parsed.payload));
      if (parsed.opcode === 0x8) this.socket.destroy();
      if (parsed.opcode !== 0x1 && parsed.opcode !== 0x0) continue;
      this.fragments.push(parsed.payload);
      if (!parsed.fin) continue;
      const event = JSON.parse(Buffer.concat(this.fragments).toString('utf8')) as AriEvent;
      this.fragments = [];
      this.events.push(event);
      for (const waiter of this.waiters) {
        if (waiter.match(event)) {
          this.waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
    }
  }
}

function parseFrame(data: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
  if (data.length < 2) return undefined;
  const first = data[0] as number;
  const second = data[1] as number;
  let length = second & 0x7f;
  let at = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    at = 10;
  }
  const mask = second & 0x80 ? data.subarray(at, at + 4) : undefined;
  if (mask) at += 4;
  if (data.length < at + length) return undefined;
  const payload = Buffer.from(data.subarray(at, at + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, size: at + length };
}

/** A single, masked client frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
