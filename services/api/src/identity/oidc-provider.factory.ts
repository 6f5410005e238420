import { Logger } from '@nestjs/common';
import { type Pool } from 'pg';
import type { ClientMetadata, Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider' with { 'resolution-mode': 'import' };
import { type ApiConfig, embeddedIssuer } from '../api.config';
import { isRole } from '../auth/role';
import { postgresAdapterClass } from './oidc-postgres.adapter';
import { claimsOfUser } from './user-account';
import { type UsersRepository } from './users.repository';
import { escapeHtml } from './escape-html';

/** The resource (audience) of every access token: the api itself. Scope `api` asks for it. */
export const API_SCOPE = 'api';
/** The browser app's client: public, authorization code with PKCE, refresh tokens. */
export const DESKTOP_CLIENT_ID = 'lianluo-desktop';
/** Where sign-in and consent pages live (outside the provider's mount, /oidc). */
export const INTERACTION_PATH = '/interaction';


/**
 * The embedded OpenID Connect provider (oidc-provider, OpenID certified): authorization code
 * with PKCE for browsers, client credentials for tools, refresh with rotation, revocation and
 * RP-initiated logout. Access tokens are JWTs for the api resource, carrying tenant, roles and
 * agent id, so AuthGuard verifies them with the public keys alone.
 */
export async function createOidcProvider(config: ApiConfig, pool: Pool, users: UsersRepository): Promise<Provider> {
  // oidc-provider is an ES module: loaded with import(), which the CommonJS build keeps as is.
  const { default: ProviderClass, errors } = await import('oidc-provider');
  const logger = new Logger('OidcProvider');
  const audience = config.OIDC_AUDIENCE;

  const desktop: ClientMetadata = {
    client_id: DESKTOP_CLIENT_ID,
    client_name: 'Lianluo desktop',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: config.OIDC_DESKTOP_REDIRECT_URIS,
    post_logout_redirect_uris: config.OIDC_DESKTOP_REDIRECT_URIS,
  };

  const alg = signingAlgorithm(config);
  const configuration: Configuration = {
    adapter: postgresAdapterClass(pool) as unknown as Configuration['adapter'],
    clients: [desktop],
    clientDefaults: { id_token_signed_response_alg: alg, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    enabledJWA: { idTokenSigningAlgValues: [alg] },
    jwks: { keys: config.OIDC_SIGNING_KEYS?.keys ?? [] } as Configuration['jwks'],
    cookies: { keys: config.OIDC_COOKIE_SECRETS ?? [] },
    scopes: ['openid', 'offline_access', 'profile', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'tenant', 'roles', 'agent_id'] },
    extraClientMetadata: {
      properties: ['tenant', 'roles'],
      validator(_ctx, key, value) {
        if (key === 'roles' && value !== undefined && !(Array.isArray(value) && value.every(isRole))) {
          throw new errors.InvalidClientMetadata('roles must be a list of agent, supervisor, admin, platform-operator');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== audience) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience,
            accessTokenTTL: config.ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg } },
          };
        },
      },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: config.ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: config.ACCESS_TOKEN_TTL_SECONDS,
      RefreshToken: config.REFRESH_TOKEN_TTL_SECONDS,
      Session: config.REFRESH_TOKEN_TTL_SECONDS,
      Grant: config.REFRESH_TOKEN_TTL_SECONDS,
      Interaction: 600,
      AuthorizationCode: 60,
      IdToken: config.ACCESS_TOKEN_TTL_SECONDS,
    },
    // Desktops always get a refresh token; tools use client credentials again instead.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const user = await users.find(id);
      if (!user || user.disabled) return undefined;
      return { accountId: id, claims: () => claimsOfUser(user) as { sub: string } };
    },
    // Tenant, roles and agent id in every access token: of the user, or of the tool client.
    async extraTokenClaims(_ctx, token) {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (accountId) {
        const user = await users.find(accountId);
        if (!user || user.disabled) return undefined;
        const { tenant, roles, agent_id } = claimsOfUser(user);
        return { tenant, roles, agent_id };
      }
      const client = token.client as unknown as { tenant?: string; roles?: string[] } | undefined;
      return client ? { tenant: client.tenant, roles: client.roles ?? [] } : undefined;
    },
    async renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><h1>Sign-in failed</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p></body></html>`;
    },
  };

  const provider = new ProviderClass(embeddedIssuer(config), configuration);
  // Behind an Ingress that terminates TLS: trust its X-Forwarded-* headers.
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'OpenID provider error'));
  return provider;
}

/** The JWS algorithm of the first signing key: EdDSA for OKP keys, ES256 for EC, RS256 for RSA. */
function signingAlgorithm(config: ApiConfig): 'EdDSA' | 'ES256' | 'RS256' {
  const key = config.OIDC_SIGNING_KEYS?.keys[0] as { kty?: string; alg?: string } | undefined;
  if (key?.alg === 'EdDSA' || key?.alg === 'ES256' || key?.alg === 'RS256') return key.alg;
  return key?.kty === 'OKP' ? 'EdDSA' : key?.kty === 'EC' ? 'ES256' : 'RS256';
}
