import Redis from 'ioredis';

/** The local Redis tests use. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key a test run wrote under its prefix (`<prefix>:*`) in the local Redis. */
export async function deleteRedisNamespace(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const client = new Redis(url, { connectionName: 'test-cleanup', maxRetriesPerRequest: 3, lazyConnect: true });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
