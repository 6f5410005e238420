// api's service identity on the local stack: one key pair per state folder, made by the first
// `npm start` and kept, so the services trust the same key across restarts and scripts acting
// as api (the demo set-up, `npm run service-token`) sign with it.
import { type ServiceKeys, ServiceTokenSigner, generateServiceKeys } from '@lianluo/service-auth';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function serviceKeysFile(stateDir: string): string {
  return join(stateDir, 'service-auth-keys.json');
}

/** The stack's key pair, made (readable by its owner only) when the state folder has none. */
export async function ensureServiceKeys(stateDir: string): Promise<ServiceKeys> {
  const existing = await readServiceKeys(stateDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing) return existing;
  const keys = generateServiceKeys();
  const file = serviceKeysFile(stateDir);
  await writeFile(`${file}.${process.pid}`, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  await rename(`${file}.${process.pid}`, file);
  return keys;
}

/** The key pair a stack started from `stateDir` made. */
export async function readServiceKeys(stateDir: string): Promise<ServiceKeys> {
  const keys = JSON.parse(await readFile(serviceKeysFile(stateDir), 'utf8')) as Partial<ServiceKeys>;
  if (!keys.privateJwk || !keys.publicJwks) throw new Error(`${serviceKeysFile(stateDir)} is not a key pair: remove it and start the stack again`);
  return keys as ServiceKeys;
}

/** Signs as api with the stack's private key. */
export function stackSigner(keys: ServiceKeys): ServiceTokenSigner {
  return new ServiceTokenSigner({ privateKey: keys.privateJwk });
}
