import { Cluster, Redis } from 'ioredis';
import type { RedisConfig } from '@lianluo/config';
import type { RedisClient } from './redis-client';
import { type CreateRedisOptions, redisClientOptions } from './redis-client-options';

/**
 * Connects to Redis in the configured mode: a `Redis` for standalone and sentinel, a
 * `Cluster` for cluster. Connecting starts at once; the client emits `ready` when it can
 * take commands. No key prefix is set: build keys with `tenantKey`.
 *
 * @throws ConfigError when the mode's own variables are missing (they are checked by
 * `redisConfig` already, so only a hand-built config can get here).
 */
export function createRedis(config: RedisConfig, options: CreateRedisOptions = {}): RedisClient {
  const construction = redisClientOptions(config, options);
  switch (construction.mode) {
    case 'standalone':
      return new Redis(construction.url, construction.options);
    case 'sentinel':
      return new Redis(construction.options);
    case 'cluster':
      return new Cluster(construction.nodes, construction.options);
  }
}
