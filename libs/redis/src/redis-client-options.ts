import type { ClusterOptions, RedisOptions } from 'ioredis';
import { ConfigError, type RedisConfig } from '@lianluo/config';
import { reconnectDelayMs } from './reconnect-delay-ms';

export interface CreateRedisOptions {
  /** Shown by `CLIENT LIST`, so an operator sees which service holds a connection. */
  readonly connectionName?: string;
}

/** What createRedis builds: the arguments of `new Redis(...)` or `new Cluster(...)`. */
export type RedisConstruction =
  | { readonly mode: 'standalone'; readonly url: string; readonly options: RedisOptions }
  | { readonly mode: 'sentinel'; readonly options: RedisOptions }
  | { readonly mode: 'cluster'; readonly nodes: { host: string; port: number }[]; readonly options: ClusterOptions };

// No keyPrefix: callers lay out their keys with tenantKey, whose hash tag must come
// right after the prefix they choose, and Lua scripts see the keys exactly as written.
function connectionOptions(config: RedisConfig, options: CreateRedisOptions): RedisOptions {
  return {
    ...(options.connectionName !== undefined && { connectionName: options.connectionName }),
    // A command waiting on a lost connection fails after three reconnection attempts
    // (about a second) instead of hanging its handler; the message is redelivered later.
    maxRetriesPerRequest: 3,
    enableReadyCheck: true,
    lazyConnect: false,
    connectTimeout: 5000,
    // How long a closing socket may linger before it is destroyed; keeps shutdown short.
    disconnectTimeout: 500,
    retryStrategy: (attempt) => reconnectDelayMs(attempt),
    // After a failover the old master turns replica: reconnect to the new master and resend.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    ...(config.REDIS_PASSWORD !== undefined && { password: config.REDIS_PASSWORD }),
  };
}

function required<T>(value: T | undefined, variable: string, mode: string): T {
  if (value === undefined) throw new ConfigError([{ variable, reason: `required when REDIS_MODE is ${mode}` }]);
  return value;
}

/** The construction arguments for the configured mode. */
export function redisClientOptions(config: RedisConfig, options: CreateRedisOptions = {}): RedisConstruction {
  const connection = connectionOptions(config, options);
  switch (config.REDIS_MODE) {
    case 'standalone': {
      // REDIS_PASSWORD wins over a password written in the URL (ioredis prefers the URL's).
      const url = new URL(config.REDIS_URL);
      if (config.REDIS_PASSWORD !== undefined) url.password = config.REDIS_PASSWORD;
      return { mode: 'standalone', url: url.toString(), options: connection };
    }
    case 'sentinel':
      return {
        mode: 'sentinel',
        options: {
          ...connection,
          sentinels: required(config.REDIS_SENTINELS, 'REDIS_SENTINELS', 'sentinel').map(({ host, port }) => ({ host, port })),
          name: required(config.REDIS_SENTINEL_NAME, 'REDIS_SENTINEL_NAME', 'sentinel'),
          role: 'master',
          sentinelRetryStrategy: (attempt) => reconnectDelayMs(attempt),
          // Listen for +switch-master on the sentinels to follow a failover at once.
          failoverDetector: true,
        },
      };
    case 'cluster': {
      const { retryStrategy: _perNode, ...redisOptions } = connection;
      return {
        mode: 'cluster',
        nodes: required(config.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES', 'cluster').map(({ host, port }) => ({ host, port })),
        options: {
          // The cluster reconnects as a whole; its nodes do not retry on their own.
          redisOptions,
          clusterRetryStrategy: (attempt) => reconnectDelayMs(attempt),
          enableReadyCheck: true,
          lazyConnect: false,
          scaleReads: 'master',
        },
      };
    }
  }
}
