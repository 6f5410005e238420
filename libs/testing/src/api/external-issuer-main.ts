// A second OpenID provider, configured unlike the api's embedded one, as an operator's own
// issuer (Keycloak, Azure AD…) would be: RSA keys, its own audience, tenant and roles under
// other claim names. Run by `startExternalIssuer` with tsx; says `listening` when ready.
// Env: PORT, AUDIENCE, CLIENTS (JSON: [{ clientId, clientSecret, claims }]).
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

interface IssuerClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Claims every access token of this client carries. */
  readonly claims: Record<string, unknown>;
}

async function main(): Promise<void> {
  const { default: Provider, errors } = await import('oidc-provider');
  const port = Number(process.env.PORT);
  const audience = process.env.AUDIENCE ?? 'https://lianluo.example/api';
  const clients = JSON.parse(process.env.CLIENTS ?? '[]') as IssuerClient[];
  const claimsOf = new Map(clients.map((client) => [client.clientId, client.claims]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: clients.map((client) => ({ client_id: client.clientId, client_secret: client.clientSecret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] })),
    jwks: { keys: [{ ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'external-rsa', alg: 'RS256', use: 'sig' }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== audience) throw new errors.InvalidTarget();
          return { scope: 'contact-centre', audience, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    scopes: ['contact-centre'],
    extraTokenClaims: (_ctx, token) => claimsOf.get(String(token.clientId)),
  });
  createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('listening'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
