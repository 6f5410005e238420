import { resolve } from 'node:path';

/** The services `builtService` knows: folders under services/. */
export type ServiceName = 'media-gateway' | 'ivr' | 'acd' | 'voicemail' | 'workitems' | 'reporting' | 'api';

/**
 * The built entry point of a service (`services/<name>/dist/main.js`), for a test that starts
 * another service as its own process instead of importing its code.
 */
export function builtService(name: ServiceName): string {
  return resolve(__dirname, '..', '..', '..', '..', 'services', name, 'dist', 'main.js');
}
