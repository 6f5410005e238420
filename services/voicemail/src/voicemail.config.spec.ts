import { ConfigError, loadConfig } from '@lianluo/config';
import { generateServiceKeys } from '@lianluo/service-auth';
import { voicemailConfigSchema } from './voicemail.config';

const required = { SERVICE_AUTH_PUBLIC_KEYS: JSON.stringify(generateServiceKeys().publicJwks) };

describe('voicemail configuration', () => {
  it('runs on defaults: the local database, the default greeting, two minutes a message', () => {
    expect(loadConfig(voicemailConfigSchema, required)).toMatchObject({
      HTTP_PORT: 3004,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lianluo',
      DEFAULT_GREETING: ['sound:vm-intro'],
      MAX_MESSAGE_MS: 120_000,
      SILENCE_STOP_MS: 5_000,
      MIN_MESSAGE_MS: 1_000,
      RECORDING_STORE: 'local',
    });
    expect(loadConfig(voicemailConfigSchema, required).MEDIA_BASE_URL).toBeUndefined();
  });

  it('names every variable it cannot use', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(voicemailConfigSchema, { DATABASE_URL: 'mysql://x', DEFAULT_GREETING: 'sound:a, vm-intro', MAX_MESSAGE_MS: '500', MEDIA_BASE_URL: 'ftp://vm' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'DEFAULT_GREETING', 'MAX_MESSAGE_MS', 'MEDIA_BASE_URL', 'SERVICE_AUTH_PUBLIC_KEYS']);
    expect(error?.message).toMatch(/DEFAULT_GREETING: .*must be a media URI/);
  });
});
