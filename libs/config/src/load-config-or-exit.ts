import type { z } from 'zod';
import { ConfigError } from './config-error';
import type { ConfigObjectSchema } from './config-object-schema';
import { loadConfig } from './load-config';

/**
 * For `main.ts`, before Nest starts: a bad configuration prints its problems to stderr
 * (no stack trace, no secret values) and exits with status 1.
 */
export function loadConfigOrExit<S extends ConfigObjectSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(1);
  }
}
