import { Redis } from 'ioredis';
import type { RedisClient } from './redis-client';

const QUIT_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}

/**
 * Closes a connection: QUIT lets the commands already sent finish and waits for the
 * connection to end; a connection that is down, or does not end in time, is dropped.
 */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    await within(client.quit(), QUIT_TIMEOUT_MS);
    // QUIT leaves a Sentinel client's failover-detector subscriptions open, which keeps
    // the process alive (redis/ioredis#1362); disconnect() closes them. Called right after
    // QUIT's reply, while the socket is still open, so ioredis clears its own close timer.
    if (client instanceof Redis) client.disconnect();
    await within(ended, QUIT_TIMEOUT_MS);
  } catch {
    client.disconnect();
  }
}
