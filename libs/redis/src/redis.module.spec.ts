import { Global, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CONFIG, ConfigModule, loadConfig, type RedisConfig, redisConfig } from '@lianluo/config';
import { ReadinessRegistry } from '@lianluo/observability';
import { InjectRedis } from './inject-redis.decorator';
import type { RedisClient } from './redis-client';
import { RedisModule } from './redis.module';
import { freePort } from './test-support/redis-servers';

@Injectable()
class AgentStates {
  constructor(@InjectRedis() readonly redis: RedisClient) {}
}

function readinessModule(registry: ReadinessRegistry) {
  @Global()
  @Module({ providers: [{ provide: ReadinessRegistry, useValue: registry }], exports: [ReadinessRegistry] })
  class ReadinessStubModule {}
  return ReadinessStubModule;
}

async function ready(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}

describe('RedisModule', () => {
  const localRedis = loadConfig(redisConfig, { REDIS_URL: 'redis://127.0.0.1:6379' });

  it('provides the connection, reports it to readiness and quits on shutdown', async () => {
    const registry = new ReadinessRegistry();
    @Module({ imports: [readinessModule(registry), RedisModule.forRoot(localRedis, { connectionName: 'acd' })], providers: [AgentStates] })
    class AcdModule {}

    const app = await NestFactory.createApplicationContext(AcdModule, { logger: false });
    const { redis } = app.get(AgentStates);
    await ready(redis);
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.client('GETNAME')).toBe('acd');
    expect(await registry.evaluate()).toEqual([{ name: 'redis', ready: true }]);

    await app.close();
    expect(redis.status).toBe('end');
    expect(await registry.evaluate()).toEqual([]);
  });

  it('works without a readiness registry', async () => {
    @Module({ imports: [RedisModule.forRoot(localRedis)], providers: [AgentStates] })
    class AcdModule {}

    const app = await NestFactory.createApplicationContext(AcdModule, { logger: false });
    const { redis } = app.get(AgentStates);
    await ready(redis);
    expect(await redis.ping()).toBe('PONG');
    await app.close();
    expect(redis.status).toBe('end');
  });

  it('takes its configuration from ConfigModule', async () => {
    @Module({
      imports: [
        ConfigModule.forRoot({ schema: redisConfig, env: { REDIS_URL: 'redis://127.0.0.1:6379/0' } }),
        RedisModule.forRootAsync({ inject: [CONFIG], useFactory: (config: RedisConfig) => config, readinessCheckName: 'agent-state' }),
      ],
      providers: [AgentStates],
    })
    class AcdModule {}

    const app = await NestFactory.createApplicationContext(AcdModule, { logger: false });
    const { redis } = app.get(AgentStates);
    await ready(redis);
    expect(await redis.ping()).toBe('PONG');
    await app.close();
  });

  it('is not ready while Redis is unreachable, and shuts down without waiting for it', async () => {
    const registry = new ReadinessRegistry();
    const nobodyListens = loadConfig(redisConfig, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    @Module({ imports: [readinessModule(registry), RedisModule.forRoot(nobodyListens)], providers: [AgentStates] })
    class AcdModule {}

    const app = await NestFactory.createApplicationContext(AcdModule, { logger: false });
    const { redis } = app.get(AgentStates);
    await new Promise((resolve) => redis.once('reconnecting', resolve));
    expect(await registry.evaluate()).toEqual([{ name: 'redis', ready: false }]);

    // Closed right after the first retry was scheduled: a second would come within ~120 ms.
    const retried = jest.fn();
    await app.close();
    redis.on('reconnecting', retried);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(retried).not.toHaveBeenCalled();
  });
});
