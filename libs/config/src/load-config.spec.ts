import { z } from 'zod';
import { ConfigError } from './config-error';
import { envBoolean } from './env-boolean';
import { envHostPortList } from './env-host-port-list';
import { envInteger } from './env-integer';
import { envList } from './env-list';
import { envNumber } from './env-number';
import { envPort } from './env-port';
import { loadConfig } from './load-config';

function problemsOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const siteSchema = z.object({ SITE: z.enum(['bj', 'sz']), ARI_URL: z.url() });

  it('returns the parsed values when every variable is valid', () => {
    expect(loadConfig(siteSchema, { SITE: 'bj', ARI_URL: 'http://127.0.0.1:8088' })).toEqual({
      SITE: 'bj',
      ARI_URL: 'http://127.0.0.1:8088',
    });
  });

  it('names every bad or missing variable with its reason, one per line', () => {
    const error = problemsOf(() => loadConfig(siteSchema, { SITE: 'xx' }));
    expect(error.problems).toEqual([
      { variable: 'SITE', reason: 'must be one of bj, sz (got "xx")' },
      { variable: 'ARI_URL', reason: 'required' },
    ]);
    expect(error.message.split('\n')).toEqual([
      'invalid configuration (2 problems):',
      '  SITE: must be one of bj, sz (got "xx")',
      '  ARI_URL: required',
    ]);
    expect(error.kind).toBe('config-invalid');
  });

  it('shows (hidden) instead of the value of a password, secret, token or key', () => {
    const schema = z.object({
      DB_PASSWORD: z.string().min(12),
      JWT_SECRET: z.string().min(12),
      NATS_TOKEN: z.string().min(12),
      API_KEY: z.string().refine((value) => value.startsWith('lk_'), { error: (issue) => `${String(issue.input)} is not lk_` }),
    });
    const env = { DB_PASSWORD: 'hunter2', JWT_SECRET: 's3cr3t', NATS_TOKEN: 't0k3n', API_KEY: 'abcdef' };
    const error = problemsOf(() => loadConfig(schema, env));
    expect(error.problems.map((problem) => problem.variable)).toEqual(['DB_PASSWORD', 'JWT_SECRET', 'NATS_TOKEN', 'API_KEY']);
    for (const value of Object.values(env)) expect(error.message).not.toContain(value);
    expect(error.problems[0]).toEqual({ variable: 'DB_PASSWORD', reason: 'must be at least 12 characters long (got (hidden))' });
    expect(error.problems[3]?.reason).toBe('(hidden) is not lk_ (got (hidden))');
  });

  it('keeps the reason a schema gives itself', () => {
    const schema = z.object({ QUEUE_ID: z.string().regex(/^q-/, { error: 'must start with q-' }) });
    expect(problemsOf(() => loadConfig(schema, { QUEUE_ID: 'sales' })).problems).toEqual([
      { variable: 'QUEUE_ID', reason: 'must start with q- (got "sales")' },
    ]);
  });

  it('applies defaults to unset and empty variables', () => {
    const schema = z.object({ HTTP_PORT: envPort().default(3000), GREETING: z.string().default('hello') });
    expect(loadConfig(schema, {})).toEqual({ HTTP_PORT: 3000, GREETING: 'hello' });
    expect(loadConfig(schema, { HTTP_PORT: '', GREETING: '' })).toEqual({ HTTP_PORT: 3000, GREETING: 'hello' });
  });

  it('reads only the variables the schema names', () => {
    const schema = z.object({ SITE: z.string() });
    expect(loadConfig(schema, { SITE: 'bj', PATH: '/usr/bin' })).toEqual({ SITE: 'bj' });
  });

  it('reads process.env when no environment is given', () => {
    process.env.LIANLUO_CONFIG_SPEC_VALUE = 'from-process';
    try {
      expect(loadConfig(z.object({ LIANLUO_CONFIG_SPEC_VALUE: z.string() }))).toEqual({ LIANLUO_CONFIG_SPEC_VALUE: 'from-process' });
    } finally {
      delete process.env.LIANLUO_CONFIG_SPEC_VALUE;
    }
  });

  it('shortens a long value in the message', () => {
    const error = problemsOf(() => loadConfig(z.object({ SITE: z.enum(['bj']) }), { SITE: 'x'.repeat(200) }));
    expect(error.problems[0]?.reason).toBe(`must be one of bj (got "${'x'.repeat(80)}…")`);
  });
});

describe('coercion', () => {
  it('reads integers and rejects fractions, words and values out of range', () => {
    const schema = z.object({ WRAP_UP_SECONDS: envInteger({ min: 0, max: 600 }) });
    expect(loadConfig(schema, { WRAP_UP_SECONDS: ' 30 ' })).toEqual({ WRAP_UP_SECONDS: 30 });
    expect(problemsOf(() => loadConfig(schema, { WRAP_UP_SECONDS: '1.5' })).problems[0]?.reason).toBe('must be an integer (got "1.5")');
    expect(problemsOf(() => loadConfig(schema, { WRAP_UP_SECONDS: 'ten' })).problems[0]?.reason).toBe('must be an integer (got "ten")');
    expect(problemsOf(() => loadConfig(schema, { WRAP_UP_SECONDS: '601' })).problems[0]?.reason).toBe('must be at most 600 (got "601")');
    expect(problemsOf(() => loadConfig(schema, { WRAP_UP_SECONDS: '-1' })).problems[0]?.reason).toBe('must be at least 0 (got "-1")');
  });

  it('reads ports between 1 and 65535', () => {
    const schema = z.object({ HTTP_PORT: envPort() });
    expect(loadConfig(schema, { HTTP_PORT: '8080' })).toEqual({ HTTP_PORT: 8080 });
    expect(problemsOf(() => loadConfig(schema, { HTTP_PORT: '70000' })).problems[0]?.reason).toBe('must be at most 65535 (got "70000")');
    expect(problemsOf(() => loadConfig(schema, { HTTP_PORT: '0' })).problems[0]?.reason).toBe('must be at least 1 (got "0")');
  });

  it('reads decimal numbers', () => {
    const schema = z.object({ SAMPLE_RATIO: envNumber({ min: 0, max: 1 }) });
    expect(loadConfig(schema, { SAMPLE_RATIO: '0.25' })).toEqual({ SAMPLE_RATIO: 0.25 });
    expect(loadConfig(schema, { SAMPLE_RATIO: '1e-1' })).toEqual({ SAMPLE_RATIO: 0.1 });
    expect(problemsOf(() => loadConfig(schema, { SAMPLE_RATIO: 'half' })).problems[0]?.reason).toBe('must be a number (got "half")');
  });

  it('reads booleans in the usual spellings and rejects anything else', () => {
    const schema = z.object({ RECORD_CALLS: envBoolean() });
    for (const yes of ['true', 'TRUE', '1', 'yes', 'on']) expect(loadConfig(schema, { RECORD_CALLS: yes })).toEqual({ RECORD_CALLS: true });
    for (const no of ['false', 'False', '0', 'no', 'off']) expect(loadConfig(schema, { RECORD_CALLS: no })).toEqual({ RECORD_CALLS: false });
    expect(problemsOf(() => loadConfig(schema, { RECORD_CALLS: 'maybe' })).problems).toEqual([
      { variable: 'RECORD_CALLS', reason: 'must be true or false (or 1/0, yes/no, on/off) (got "maybe")' },
    ]);
  });

  it('reads comma-separated lists, trimming blanks and dropping empty entries', () => {
    const schema = z.object({ SITES: envList(z.enum(['bj', 'sz'])) });
    expect(loadConfig(schema, { SITES: ' bj , sz,, ' })).toEqual({ SITES: ['bj', 'sz'] });
    expect(problemsOf(() => loadConfig(schema, { SITES: 'bj,sh' })).problems).toEqual([
      { variable: 'SITES', reason: 'entry "sh": must be one of bj, sz' },
    ]);
  });

  it('reads host:port lists, including bracketed IPv6 addresses', () => {
    const schema = z.object({ REDIS_SENTINELS: envHostPortList() });
    expect(loadConfig(schema, { REDIS_SENTINELS: 'redis-a:26379, 10.0.0.2:26380,[::1]:26381' })).toEqual({
      REDIS_SENTINELS: [
        { host: 'redis-a', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
    });
  });

  it('names the entry of a host:port list that is not host:port', () => {
    const schema = z.object({ REDIS_SENTINELS: envHostPortList() });
    expect(problemsOf(() => loadConfig(schema, { REDIS_SENTINELS: 'a:1,b,c:99999' })).problems).toEqual([
      { variable: 'REDIS_SENTINELS', reason: 'entry "b": must be host:port; entry "c:99999": must be host:port' },
    ]);
    expect(problemsOf(() => loadConfig(schema, { REDIS_SENTINELS: ',' })).problems).toEqual([
      { variable: 'REDIS_SENTINELS', reason: 'must list at least 1 entry (got ",")' },
    ]);
  });
});
