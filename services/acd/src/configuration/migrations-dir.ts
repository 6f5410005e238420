import { resolve } from 'node:path';

/** The acd's SQL migrations (schema acd), beside src/ and dist/ so the built service finds them too. */
export const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'migrations');
