import { connect as connectNats } from 'nats';
import { Socket } from 'node:net';

const FIX = "run 'bash scripts/provision.sh' (it installs and starts them)";

/**
 * Throws, saying how to fix it, unless NATS with JetStream (127.0.0.1:4222), Redis
 * (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) are running.
 */
export async function ensureLocalInfra(): Promise<void> {
  const services = [
    { name: 'NATS', port: 4222 },
    { name: 'Redis', port: 6379 },
    { name: 'PostgreSQL', port: 5432 },
  ];
  const reachable = await Promise.all(services.map(({ port }) => acceptsTcp('127.0.0.1', port)));
  const down = services.filter((_, i) => !reachable[i]).map(({ name, port }) => `${name} (127.0.0.1:${port})`);
  if (down.length > 0) throw new Error(`not running: ${down.join(', ')}; ${FIX}`);

  const nc = await connectNats({ servers: 'nats://127.0.0.1:4222', name: 'lianluo-ensure-local-infra', timeout: 2_000 });
  try {
    await (await nc.jetstreamManager({ timeout: 2_000 })).getAccountInfo();
  } catch (error) {
    throw new Error(`NATS on 127.0.0.1:4222 has no JetStream (${(error as Error).message}); restart it with -js or ${FIX}`);
  } finally {
    await nc.close();
  }
}

/** Whether something accepts a TCP connection on host:port within a second. */
export function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}
