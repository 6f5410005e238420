import { ConfigError, loadConfig, redisConfig } from '@lianluo/config';
import { redisClientOptions } from './redis-client-options';

describe('redisClientOptions', () => {
  it('connects standalone to REDIS_URL at once, fails commands fast and sets no key prefix', () => {
    const construction = redisClientOptions(loadConfig(redisConfig, {}), { connectionName: 'acd' });
    expect(construction).toMatchObject({
      mode: 'standalone',
      url: 'redis://127.0.0.1:6379',
      options: { connectionName: 'acd', maxRetriesPerRequest: 3, enableReadyCheck: true, lazyConnect: false },
    });
    expect(construction.options).not.toHaveProperty('keyPrefix');
    expect(construction.options).not.toHaveProperty('password');
  });

  it('lets REDIS_PASSWORD win over a password in REDIS_URL', () => {
    const config = loadConfig(redisConfig, { REDIS_URL: 'redis://app:old@redis:6380/2', REDIS_PASSWORD: 'n3w/p@ss' });
    const construction = redisClientOptions(config);
    expect(construction.mode === 'standalone' && new URL(construction.url)).toMatchObject({
      username: 'app',
      password: encodeURIComponent('n3w/p@ss'),
      host: 'redis:6380',
      pathname: '/2',
    });
  });

  it('reconnects with capped backoff, and to the new master when the old one turned replica', () => {
    const construction = redisClientOptions(loadConfig(redisConfig, {}));
    if (construction.mode !== 'standalone') throw new Error('expected standalone');
    const { options } = construction;
    expect(options.retryStrategy?.(100)).toBeLessThanOrEqual(3600);
    expect(options.reconnectOnError?.(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(options.reconnectOnError?.(new Error('WRONGTYPE'))).toBe(false);
  });

  it('asks the sentinels for the named master', () => {
    const config = loadConfig(redisConfig, {
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 's0:26379,s1:26379',
      REDIS_SENTINEL_NAME: 'lianluo',
      REDIS_PASSWORD: 'pw',
    });
    expect(redisClientOptions(config)).toMatchObject({
      mode: 'sentinel',
      options: {
        sentinels: [
          { host: 's0', port: 26379 },
          { host: 's1', port: 26379 },
        ],
        name: 'lianluo',
        role: 'master',
        password: 'pw',
        failoverDetector: true,
        maxRetriesPerRequest: 3,
      },
    });
  });

  it('discovers a cluster from its startup nodes, retrying as a whole', () => {
    const config = loadConfig(redisConfig, { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'n0:7000,n1:7001', REDIS_PASSWORD: 'pw' });
    const construction = redisClientOptions(config);
    expect(construction).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'n0', port: 7000 },
        { host: 'n1', port: 7001 },
      ],
      options: { enableReadyCheck: true, lazyConnect: false, redisOptions: { password: 'pw', maxRetriesPerRequest: 3 } },
    });
    if (construction.mode !== 'cluster') throw new Error('expected cluster');
    expect(construction.options.redisOptions).not.toHaveProperty('retryStrategy');
    expect(construction.options.redisOptions).not.toHaveProperty('keyPrefix');
    expect(typeof construction.options.clusterRetryStrategy).toBe('function');
  });

  it('names the missing variable of a hand-built config', () => {
    const config = { ...loadConfig(redisConfig, {}), REDIS_MODE: 'cluster' as const };
    expect(() => redisClientOptions(config)).toThrow(ConfigError);
    expect(() => redisClientOptions(config)).toThrow('REDIS_CLUSTER_NODES: required when REDIS_MODE is cluster');
  });
});
