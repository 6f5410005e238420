import { ConfigError, loadConfig } from '@lianluo/config';
import { mediaGatewayConfigSchema } from './media-gateway.config';

const valid = { SITE: 'bj', ARI_URL: 'http://127.0.1.1:8088', ARI_USER: 'lianluo', ARI_PASSWORD: 'secret' };

describe('media gateway configuration', () => {
  it('fills defaults for everything but the site and its Asterisk', () => {
    expect(loadConfig(mediaGatewayConfigSchema, valid)).toMatchObject({
      ARI_APP: 'lianluo',
      DEFAULT_TENANT: 'demo',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: 'lianluo',
      HTTP_PORT: 3001,
    });
  });

  it('names every bad or missing variable and hides the password', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(mediaGatewayConfigSchema, { SITE: 'Beijing!', ARI_URL: 'not a url', ARI_PASSWORD: '', NATS_URL: 'http://x' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error?.problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['ARI_PASSWORD', 'ARI_URL', 'ARI_USER', 'NATS_URL', 'SITE']);
    expect(error?.message).toMatch(/SITE: must be a site token/);
    expect(error?.message).not.toContain('not a url"'.repeat(2));
  });
});
