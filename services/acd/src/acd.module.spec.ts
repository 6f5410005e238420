import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { loadConfig } from '@lianluo/config';
import { MessagingConnection, streamNameOf } from '@lianluo/messaging';
import { acdConfigSchema } from './acd.config';
import { AcdModule } from './acd.module';
import { RoutingStore } from './routing/routing-store';

describe('AcdModule', () => {
  // Its own key prefix and subject namespace, deleted afterwards.
  const namespace = `acdspec${randomBytes(5).toString('hex')}`;

  afterAll(async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const nats = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'acd-spec', queueGroup: 'acd-spec' });
    await nats.jsm.streams.delete(streamNameOf(namespace, 'acd')).catch(() => undefined);
    await nats.close();
  });

  it('boots a replica whose RoutingStore routes through the configured Redis and prefix', async () => {
    const config = loadConfig(acdConfigSchema, { REDIS_KEY_PREFIX: namespace, NATS_NAMESPACE: namespace, LOG_LEVEL: 'silent' });
    const app = await NestFactory.createApplicationContext(AcdModule.forConfig(config), { logger: false });
    const store = app.get(RoutingStore);
    await store.defineQueue('acme', { queue: 'sales' });
    expect(await store.enqueue('acme', { contactId: 'call-1', queue: 'sales', channel: 'voice' })).toMatchObject({ state: 'waiting', position: 1 });
    expect(store.baseKey('acme')).toBe(`${namespace}:{acme}`);
    await app.close();
  });

  it('refuses a configuration with a bad variable, naming it', () => {
    expect(() => loadConfig(acdConfigSchema, { REDIS_KEY_PREFIX: 'a{b}' })).toThrow('REDIS_KEY_PREFIX');
    expect(() => loadConfig(acdConfigSchema, { ACD_TIMER_INTERVAL_MS: 'soon' })).toThrow('ACD_TIMER_INTERVAL_MS');
  });
});
