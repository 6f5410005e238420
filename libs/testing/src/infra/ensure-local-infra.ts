import { connect as connectNats } from 'nats';
import { Socket } from 'node:net';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

/** Fails with the fix when NATS (with JetStream), Redis or PostgreSQL is not running. */
export async function ensureLocalInfra(): Promise<void> {
  const services = [
    ['NATS', 4222],
    ['Redis', 6379],
    ['PostgreSQL', 5432],
  ] as const;
  const down = [];
  for (const [name, port] of services) if (!(await reachable('127.0.0.1', port))) down.push(`${name} (127.0.0.1:${port})`);
  if (down.length > 0) throw new Error(`not running: ${down.join(', ')}; run 'bash scripts/provision.sh'`);
  const nc = await connectNats({ servers: 'nats://127.0.0.1:4222' });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.getAccountInfo();
  } catch (error) {
    throw new Error(`NATS on 127.0.0.1:4222 has no JetStream (${(error as Error).message}); restart it with -js`);
  } finally {
    await nc.close();
  }
}

/** A token for NATS subjects, stream names and key prefixes that no other run uses. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 12)}`;
}
