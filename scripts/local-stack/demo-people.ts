// The people of the demo centre (demo-users.yaml) and the api's identity secrets of a local
// stack: signing keys and cookie secret made once into the state folder, so sign-ins survive
// a restart of npm start.
import { generateCookieSecret, generateSigningJwks } from '@lianluo/testing';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The api's seed file (API_SEED_FILE). */
export const DEMO_USERS_FILE = resolve(__dirname, 'demo-users.yaml');

export interface DemoUser {
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly agentId?: string;
  readonly password: string;
}

/** The people of demo-users.yaml (the api validates the file itself at start-up). */
export async function demoUsers(): Promise<DemoUser[]> {
  return (parse(await readFile(DEMO_USERS_FILE, 'utf8')) as { users: DemoUser[] }).users;
}

interface IdentitySecrets {
  readonly signingKeys: unknown;
  readonly cookieSecret: string;
}

/** The api's OIDC variables for a stack whose api answers at `apiUrl`. */
export async function apiIdentityEnv(stateDir: string, apiUrl: string): Promise<Record<string, string>> {
  const file = join(stateDir, 'api-identity.json');
  let secrets = await readFile(file, 'utf8').then((text) => JSON.parse(text) as IdentitySecrets, () => undefined);
  if (!secrets) {
    secrets = { signingKeys: generateSigningJwks(), cookieSecret: generateCookieSecret() };
    await writeFile(file, JSON.stringify(secrets) + '\n', { mode: 0o600 });
  }
  return {
    OIDC_ISSUER: `${apiUrl}/oidc`,
    OIDC_SIGNING_KEYS: JSON.stringify(secrets.signingKeys),
    OIDC_COOKIE_SECRETS: secrets.cookieSecret,
    OIDC_DESKTOP_REDIRECT_URIS: `${apiUrl}/app/callback`,
  };
}
