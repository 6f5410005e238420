import { z } from 'zod';
import { ConfigError } from './config-error';
import { configSchema } from './config-schema';
import { httpConfig } from './http-config';
import { loadConfig } from './load-config';
import { logConfig } from './log-config';
import { natsConfig } from './nats-config';
import { redisConfig } from './redis-config';
import { serviceIdentity } from './service-identity';

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('natsConfig', () => {
  it('defaults to the local server and the lianluo namespace', () => {
    expect(loadConfig(natsConfig, {})).toEqual({ NATS_URL: 'nats://127.0.0.1:4222', NATS_NAMESPACE: 'lianluo' });
  });

  it('accepts several servers', () => {
    const env = { NATS_URL: 'nats://nats-0:4222,tls://nats-1:4222' };
    expect(loadConfig(natsConfig, env).NATS_URL).toBe(env.NATS_URL);
  });

  it('rejects a namespace that cannot be the root token of a subject', () => {
    expect(problemsOf(() => loadConfig(natsConfig, { NATS_NAMESPACE: 'Lianluo.test' }))).toEqual([
      { variable: 'NATS_NAMESPACE', reason: 'must start with a-z and contain only a-z, 0-9, _ and - (got "Lianluo.test")' },
    ]);
  });

  it('rejects a URL that is not a NATS server', () => {
    expect(problemsOf(() => loadConfig(natsConfig, { NATS_URL: 'http://nats:4222' }))).toEqual([
      { variable: 'NATS_URL', reason: 'must be nats://host:port (several servers comma-separated) (got "http://nats:4222")' },
    ]);
  });

  it('requires user and password together and never shows them', () => {
    expect(problemsOf(() => loadConfig(natsConfig, { NATS_USER: 'acd' }))).toEqual([
      { variable: 'NATS_PASSWORD', reason: 'required when NATS_USER is set' },
    ]);
    expect(problemsOf(() => loadConfig(natsConfig, { NATS_PASSWORD: 'pw' }))).toEqual([
      { variable: 'NATS_USER', reason: 'required when NATS_PASSWORD is set' },
    ]);
    expect(problemsOf(() => loadConfig(natsConfig, { NATS_USER: 'acd', NATS_PASSWORD: 'pw', NATS_TOKEN: 'tk' }))).toEqual([
      { variable: 'NATS_TOKEN', reason: 'cannot be combined with NATS_USER; use one or the other (got (hidden))' },
    ]);
  });
});

describe('httpConfig', () => {
  it('defaults to the port the service passes and every interface', () => {
    expect(loadConfig(httpConfig(3002), {})).toEqual({ HTTP_PORT: 3002, HTTP_HOST: '0.0.0.0' });
    expect(loadConfig(httpConfig(3002), { HTTP_PORT: '9000', HTTP_HOST: '127.0.0.1' })).toEqual({ HTTP_PORT: 9000, HTTP_HOST: '127.0.0.1' });
  });

  it('names HTTP_PORT when it is not a port', () => {
    expect(problemsOf(() => loadConfig(httpConfig(3002), { HTTP_PORT: 'http' }))).toEqual([
      { variable: 'HTTP_PORT', reason: 'must be an integer (got "http")' },
    ]);
  });
});

describe('logConfig', () => {
  it('defaults to info and accepts any case', () => {
    expect(loadConfig(logConfig, {})).toEqual({ LOG_LEVEL: 'info' });
    expect(loadConfig(logConfig, { LOG_LEVEL: 'DEBUG' })).toEqual({ LOG_LEVEL: 'debug' });
  });

  it('lists the levels when LOG_LEVEL is not one', () => {
    expect(problemsOf(() => loadConfig(logConfig, { LOG_LEVEL: 'verbose' }))).toEqual([
      { variable: 'LOG_LEVEL', reason: 'must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")' },
    ]);
  });
});

describe('serviceIdentity', () => {
  it('leaves SERVICE_NAME unset by default and checks its spelling', () => {
    expect(loadConfig(serviceIdentity, {})).toEqual({});
    expect(loadConfig(serviceIdentity, { SERVICE_NAME: 'acd-canary' })).toEqual({ SERVICE_NAME: 'acd-canary' });
    expect(problemsOf(() => loadConfig(serviceIdentity, { SERVICE_NAME: 'ACD' }))[0]?.variable).toBe('SERVICE_NAME');
  });
});

describe('redisConfig', () => {
  it('defaults to a standalone local Redis and the lianluo key prefix', () => {
    expect(loadConfig(redisConfig, {})).toEqual({
      REDIS_MODE: 'standalone',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'lianluo',
    });
  });

  it('reads sentinel mode', () => {
    const config = loadConfig(redisConfig, {
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 'sentinel-0:26379,sentinel-1:26379',
      REDIS_SENTINEL_NAME: 'lianluo',
      REDIS_PASSWORD: 'pw',
    });
    expect(config.REDIS_SENTINELS).toEqual([
      { host: 'sentinel-0', port: 26379 },
      { host: 'sentinel-1', port: 26379 },
    ]);
    expect(config.REDIS_SENTINEL_NAME).toBe('lianluo');
  });

  it('requires the sentinels and the master name in sentinel mode', () => {
    expect(problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'sentinel' }))).toEqual([
      { variable: 'REDIS_SENTINELS', reason: 'required when REDIS_MODE is sentinel' },
      { variable: 'REDIS_SENTINEL_NAME', reason: 'required when REDIS_MODE is sentinel' },
    ]);
  });

  it('requires the startup nodes in cluster mode', () => {
    expect(problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'cluster' }))).toEqual([
      { variable: 'REDIS_CLUSTER_NODES', reason: 'required when REDIS_MODE is cluster' },
    ]);
  });

  it('reports a bad list once, not also as missing', () => {
    expect(problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'node-0' }))).toEqual([
      { variable: 'REDIS_CLUSTER_NODES', reason: 'entry "node-0": must be host:port' },
    ]);
  });

  it('reports cross-variable problems together with the others', () => {
    expect(problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'sentinel', REDIS_URL: 'http://x' }))).toEqual([
      { variable: 'REDIS_URL', reason: 'must be a redis:// or rediss:// URL (got "http://x")' },
      { variable: 'REDIS_SENTINELS', reason: 'required when REDIS_MODE is sentinel' },
      { variable: 'REDIS_SENTINEL_NAME', reason: 'required when REDIS_MODE is sentinel' },
    ]);
  });

  it('rejects an unknown mode', () => {
    expect(problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'replica' }))).toEqual([
      { variable: 'REDIS_MODE', reason: 'must be one of standalone, sentinel, cluster (got "replica")' },
    ]);
  });

  it('rejects a key prefix with braces, which would break the tenant hash tag', () => {
    const problems = problemsOf(() => loadConfig(redisConfig, { REDIS_KEY_PREFIX: 'lianluo:{x}' }));
    expect(problems.map((problem) => problem.variable)).toEqual(['REDIS_KEY_PREFIX']);
    expect(problems[0]?.reason).toContain('(hidden)');
    expect(loadConfig(redisConfig, { REDIS_KEY_PREFIX: 'test:run-42' }).REDIS_KEY_PREFIX).toBe('test:run-42');
  });

  it('never shows REDIS_PASSWORD', () => {
    const problems = problemsOf(() => loadConfig(redisConfig, { REDIS_MODE: 'cluster', REDIS_PASSWORD: 'p4ss' }));
    expect(JSON.stringify(problems)).not.toContain('p4ss');
  });
});

describe('configSchema', () => {
  const acdConfig = configSchema(serviceIdentity, natsConfig, httpConfig(3002), logConfig, redisConfig, {
    SITE: z.enum(['bj', 'sz']),
  });

  it('joins the pieces into one typed schema', () => {
    const config = loadConfig(acdConfig, { SITE: 'sz', HTTP_PORT: '8080' });
    const site: 'bj' | 'sz' = config.SITE;
    const port: number = config.HTTP_PORT;
    expect({ site, port, namespace: config.NATS_NAMESPACE, mode: config.REDIS_MODE }).toEqual({
      site: 'sz',
      port: 8080,
      namespace: 'lianluo',
      mode: 'standalone',
    });
  });

  it('keeps the cross-variable checks of every piece and reports all problems at once', () => {
    expect(problemsOf(() => loadConfig(acdConfig, { NATS_USER: 'acd', REDIS_MODE: 'cluster', LOG_LEVEL: 'loud' }))).toEqual([
      { variable: 'NATS_PASSWORD', reason: 'required when NATS_USER is set' },
      { variable: 'LOG_LEVEL', reason: 'must be one of fatal, error, warn, info, debug, trace, silent (got "loud")' },
      { variable: 'REDIS_CLUSTER_NODES', reason: 'required when REDIS_MODE is cluster' },
      { variable: 'SITE', reason: 'required' },
    ]);
  });

  it('lets a later piece replace a variable of an earlier one', () => {
    const schema = configSchema(natsConfig, { NATS_NAMESPACE: z.string().default('lianluo_test') });
    expect(loadConfig(schema, {}).NATS_NAMESPACE).toBe('lianluo_test');
  });
});
