import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { loadConfig, redisConfig } from '@lianluo/config';
import { closeRedis } from './close-redis';
import { createRedis } from './create-redis';
import type { RedisClient } from './redis-client';
import { tenantKey } from './tenant-key';
import { type RedisProcesses, startCluster, startSentinel } from './test-support/redis-servers';

const LOCAL_REDIS_PORT = 6379;

// Not events.once: it would reject on the error of a reconnection attempt.
async function ready(client: RedisClient): Promise<RedisClient> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

describe('createRedis', () => {
  // Each run writes under its own prefix and deletes what it wrote.
  const prefix = `lianluo-spec:${randomUUID()}`;
  const clients: RedisClient[] = [];
  let local: Redis;

  function connect(env: NodeJS.ProcessEnv): RedisClient {
    const client = createRedis(loadConfig(redisConfig, { REDIS_KEY_PREFIX: prefix, ...env }), { connectionName: 'lianluo-spec' });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    local = new Redis(LOCAL_REDIS_PORT, '127.0.0.1');
    await ready(local);
  });

  // Before the servers of a describe block stop, so no client is left reconnecting.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeRedis));
  });

  afterAll(async () => {
    const keys = await local.keys(`${prefix}:*`);
    if (keys.length > 0) await local.del(...keys);
    await local.quit();
  });

  describe('standalone', () => {
    it('connects to REDIS_URL and stores keys exactly as the caller builds them', async () => {
      const client = await ready(connect({ REDIS_URL: `redis://127.0.0.1:${LOCAL_REDIS_PORT}` }));
      expect(client).toBeInstanceOf(Redis);
      const key = tenantKey(prefix, 'acme', 'agent', 'a-1', 'state');
      await client.set(key, 'ready');
      expect(await local.get(key)).toBe('ready');
      expect(await local.keys(`${prefix}:*`)).toEqual([key]);
    });

    it('names its connection for CLIENT LIST', async () => {
      const client = await ready(connect({}));
      expect(await client.client('GETNAME')).toBe('lianluo-spec');
    });
  });

  describe('sentinel', () => {
    const masterName = `lianluo-spec-${process.pid}`;
    let sentinel: RedisProcesses;

    beforeAll(async () => {
      sentinel = await startSentinel(masterName, LOCAL_REDIS_PORT);
    }, 15_000);

    afterAll(async () => {
      await sentinel?.stop();
    });

    it('asks the sentinel for the master and writes to it', async () => {
      const client = await ready(
        connect({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: `127.0.0.1:${sentinel.ports[0]}`, REDIS_SENTINEL_NAME: masterName }),
      );
      const key = tenantKey(prefix, 'acme', 'queue', 'sales');
      await client.set(key, 'via-sentinel');
      expect(await local.get(key)).toBe('via-sentinel');
    });
  });

  describe('cluster', () => {
    let cluster: RedisProcesses;

    beforeAll(async () => {
      cluster = await startCluster(3);
    }, 30_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    it('discovers the slots from the startup nodes and keeps one tenant in one slot', async () => {
      const client = await ready(
        connect({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: cluster.ports.map((port) => `127.0.0.1:${port}`).join(',') }),
      );
      expect(client).toBeInstanceOf(Cluster);

      const waiting = tenantKey(prefix, 'acme', 'queue', 'sales', 'waiting');
      const reserved = tenantKey(prefix, 'acme', 'agent', 'a-1', 'reservation');
      expect(await client.cluster('KEYSLOT', waiting)).toBe(await client.cluster('KEYSLOT', reserved));

      // A multi-key command over one tenant's keys works on a cluster...
      await client.mset(waiting, '1', reserved, 'c-9');
      expect(await client.mget(waiting, reserved)).toEqual(['1', 'c-9']);

      // ...while keys of two tenants generally land in different slots.
      const tenants = ['acme', 'globex', 'initech', 'umbrella'];
      const slots = new Set(await Promise.all(tenants.map((tenant) => client.cluster('KEYSLOT', tenantKey(prefix, tenant, 'x')))));
      expect(slots.size).toBeGreaterThan(1);
    });
  });
});
