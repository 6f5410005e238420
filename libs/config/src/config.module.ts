import { type DynamicModule, Module } from '@nestjs/common';
import { CONFIG } from './config.token';
import type { ConfigObjectSchema } from './config-object-schema';
import { loadConfig } from './load-config';

export interface ConfigModuleOptions {
  readonly schema: ConfigObjectSchema;
  /** Defaults to `process.env`; tests pass their own. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Provides the validated configuration under `CONFIG` to the whole application. The
 * environment is read when Nest creates the module's providers, before any provider
 * that depends on it, so a bad configuration stops start-up before anything connects.
 * Validation is not done in `forRoot` itself: decorators run when `main.ts` imports the
 * root module, which would throw before `loadConfigOrExit` could report cleanly.
 */
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: CONFIG, useFactory: () => deepFreeze(loadConfig(options.schema, options.env)) }],
      exports: [CONFIG],
    };
  }
}

// One writer per piece of state: the environment. Nobody mutates the parsed copy.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}
