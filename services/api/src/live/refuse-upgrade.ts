import { STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';

/**
 * Answers a WebSocket upgrade with a plain HTTP error (401, 403, 400…) and its JSON body, as
 * any route's refusal reads, then closes the connection: the handshake never completes.
 */
export function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
