import { once } from 'node:events';
import { extname, join } from 'node:path';
import { freePort } from '../infra/free-port';
import { spawnOwned } from '../process/spawn-owned';

export interface ExternalIssuerClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Claims every access token of this client carries, e.g. { org: { id: 'acme' }, groups: ['cc-admins'] }. */
  readonly claims: Record<string, unknown>;
}

export interface ExternalIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** An access token of a client (client credentials). */
  tokenOf(clientId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts an OpenID provider of its own (oidc-provider in a child process, RSA keys, its own
 * audience and claim names): what an operator's issuer is to the api.
 */
export async function startExternalIssuer(clients: readonly ExternalIssuerClient[], audience = 'https://lianluo.example/api'): Promise<ExternalIssuer> {
  const port = await freePort();
  const child = spawnOwned(process.execPath, ['--import', 'tsx', join(__dirname, `external-issuer-main${extname(__filename)}`)], {
    env: { ...process.env, PORT: String(port), AUDIENCE: audience, CLIENTS: JSON.stringify(clients) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('listening') ? resolve() : undefined));
    child.once('exit', (code) => reject(new Error(`the external issuer exited (${code}): ${output}`)));
  });
  const issuer = `http://127.0.0.1:${port}`;
  const secrets = new Map(clients.map((client) => [client.clientId, client.clientSecret]));
  return {
    issuer,
    audience,
    async tokenOf(clientId) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secrets.get(clientId)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=contact-centre',
      });
      if (!response.ok) throw new Error(`the external issuer refused ${clientId}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
