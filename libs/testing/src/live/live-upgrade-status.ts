import WebSocket from 'ws';
import { LIVE_PROTOCOL } from './live-events-client';

/**
 * The HTTP status api answers a live WebSocket upgrade with (101 when it opens, then closed at
 * once), and the refusal's JSON body otherwise: for tests of who may open which feed.
 */
export function liveUpgradeStatus(base: string, path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, base.replace(/^http/, 'ws'));
  const socket = new WebSocket(url, token === undefined ? [LIVE_PROTOCOL] : [LIVE_PROTOCOL, `bearer.${token}`]);
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      socket.close(1000, 'done');
      resolve({ status: 101, body: undefined });
    });
    socket.on('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    socket.on('error', reject);
  });
}
