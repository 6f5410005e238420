import { loadConfig } from '@lianluo/config';
import { generateServiceKeys } from '@lianluo/service-auth';
import { acdConfigSchema } from './acd.config';

const required = { SERVICE_AUTH_PUBLIC_KEYS: JSON.stringify(generateServiceKeys().publicJwks) };

describe('acd configuration', () => {
  it('takes defaults for a replica on the local stack', () => {
    expect(loadConfig(acdConfigSchema, required)).toMatchObject({
      HTTP_PORT: 3002,
      ACD_TIMER_INTERVAL_MS: 250,
      ACD_OUTBOX_CLAIM_MS: 5_000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lianluo',
      DATABASE_POOL_SIZE: 10,
      ACD_CALLBACK_RETRY_DELAYS_S: [120, 600, 1_800],
      ACD_CALLBACK_MAX_ATTEMPTS: 4,
    });
    expect(loadConfig(acdConfigSchema, { ...required, ACD_CALLBACK_RETRY_DELAYS_S: '60, 300' }).ACD_CALLBACK_RETRY_DELAYS_S).toEqual([60, 300]);
  });

  it('refuses to start without the public keys of api’s service identity, naming the variable', () => {
    expect(() => loadConfig(acdConfigSchema, {})).toThrow("SERVICE_AUTH_PUBLIC_KEYS: required: the JWK Set of api's public keys");
  });

  it('refuses a bad variable, naming it', () => {
    expect(() => loadConfig(acdConfigSchema, { REDIS_KEY_PREFIX: 'a{b}' })).toThrow('REDIS_KEY_PREFIX');
    expect(() => loadConfig(acdConfigSchema, { ACD_TIMER_INTERVAL_MS: 'soon' })).toThrow('ACD_TIMER_INTERVAL_MS');
    expect(() => loadConfig(acdConfigSchema, { DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL');
    expect(() => loadConfig(acdConfigSchema, { ACD_CALLBACK_RETRY_DELAYS_S: '2m,10m' })).toThrow('ACD_CALLBACK_RETRY_DELAYS_S');
  });
});
