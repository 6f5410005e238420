import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { ConfigModule } from './config.module';
import { InjectConfig } from './inject-config.decorator';
import { loadConfigOrExit } from './load-config-or-exit';

const mediaGatewayConfig = z.object({ SITE: z.enum(['bj', 'sz']), ARI_PASSWORD: z.string() });
type MediaGatewayConfig = z.output<typeof mediaGatewayConfig>;

@Injectable()
class SiteAnnouncer {
  constructor(@InjectConfig() readonly config: MediaGatewayConfig) {}
}

function appModuleWith(env: NodeJS.ProcessEnv) {
  @Module({ imports: [ConfigModule.forRoot({ schema: mediaGatewayConfig, env })], providers: [SiteAnnouncer] })
  class AppModule {}
  return AppModule;
}

describe('ConfigModule', () => {
  it('injects the validated configuration', async () => {
    const app = await NestFactory.createApplicationContext(appModuleWith({ SITE: 'bj', ARI_PASSWORD: 'pw' }), { logger: false });
    try {
      const { config } = app.get(SiteAnnouncer);
      expect(config).toEqual({ SITE: 'bj', ARI_PASSWORD: 'pw' });
      expect(Object.isFrozen(config)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('fails start-up with a ConfigError naming the bad variables', async () => {
    const starting = NestFactory.createApplicationContext(appModuleWith({ SITE: 'xx' }), { logger: false, abortOnError: false });
    await expect(starting).rejects.toThrow(ConfigError);
    await expect(starting).rejects.toThrow(/SITE: must be one of bj, sz \(got "xx"\)\n {2}ARI_PASSWORD: required/);
  });

  it('does not read the environment until Nest creates the module', () => {
    expect(() => ConfigModule.forRoot({ schema: mediaGatewayConfig, env: {} })).not.toThrow();
  });
});

describe('loadConfigOrExit', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns the configuration when it is valid', () => {
    expect(loadConfigOrExit(mediaGatewayConfig, { SITE: 'sz', ARI_PASSWORD: 'pw' })).toEqual({ SITE: 'sz', ARI_PASSWORD: 'pw' });
  });

  it('prints the problems without secrets and exits with status 1', () => {
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new Error(`exit ${code}`);
    });
    expect(() => loadConfigOrExit(mediaGatewayConfig, { SITE: 'xx', ARI_PASSWORD: '' })).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('')).toBe('invalid configuration (2 problems):\n  SITE: must be one of bj, sz (got "xx")\n  ARI_PASSWORD: required\n');
  });

  it('lets errors other than a bad configuration through', () => {
    const broken = z.object({ SITE: z.string().transform(() => { throw new Error('bug in a transform'); }) });
    expect(() => loadConfigOrExit(broken, { SITE: 'bj' })).toThrow('bug in a transform');
  });
});
