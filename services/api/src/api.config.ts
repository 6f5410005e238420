import { configSchema, envInteger, envList, httpConfig, logConfig, natsConfig, serviceIdentity } from '@lianluo/config';
import { postgresConfig } from '@lianluo/postgres';
import { serviceTokenSignerConfig } from '@lianluo/service-auth';
import { z } from 'zod';
import { webhooksConfig } from './webhooks/webhooks.config';

const url = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL, e.g. ${example}` });

/** A JSON Web Key Set given as JSON text (a Secret's value). */
const jwksText = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: a JSON Web Key Set {"keys":[…]}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object(
      { keys: z.array(z.looseObject({ kty: z.string(), d: z.string({ error: 'must be a private key (with d)' }) }), { error: 'must be an array of private keys' }).min(1, { error: 'must hold at least one key' }) },
      { error: 'must be a JSON Web Key Set {"keys":[…]}' },
    ),
  );

/** `claim-value=role` pairs, e.g. `cc-agents=agent,cc-leads=supervisor`. */
const roleMapping = envList(
  z.string().regex(/^[^=]+=(agent|supervisor|admin|platform-operator)$/, { error: 'must be <claim value>=<agent|supervisor|admin|platform-operator>' }),
).transform((pairs) => Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.lastIndexOf('=')), pair.slice(pair.lastIndexOf('=') + 1)])));

/**
 * Environment of an api replica; every variable is checked at start-up. People sign in at the
 * embedded OpenID Connect provider unless `OIDC_EXTERNAL_ISSUER` names the operator's own.
 */
export const apiConfigSchema = configSchema(serviceIdentity, natsConfig, httpConfig(3000), logConfig, postgresConfig, serviceTokenSignerConfig, webhooksConfig, {
  /** The issuer URL browsers and tools see, the embedded provider's base: http(s)://host[:port]/oidc. */
  OIDC_ISSUER: url('https://cc.example.com/oidc').optional(),
  /** The embedded provider's signing keys (private JWKS; the first signs). Required unless an external issuer is used. */
  OIDC_SIGNING_KEYS: jwksText.optional(),
  /** Secrets that sign the provider's cookies, newest first (rotate by prepending). */
  OIDC_COOKIE_SECRETS: envList(z.string().min(32, { error: 'must be at least 32 characters' }), { min: 1 }).optional(),
  /** Where the desktop app may be sent back after sign-in (authorization code + PKCE). */
  OIDC_DESKTOP_REDIRECT_URIS: envList(url('https://cc.example.com/app/callback')).default([]),
  ACCESS_TOKEN_TTL_SECONDS: envInteger({ min: 30, max: 86_400 }).default(600),
  REFRESH_TOKEN_TTL_SECONDS: envInteger({ min: 300, max: 90 * 86_400 }).default(8 * 3600),
  /** Wrong passwords in a row that lock an account, and for how long. */
  LOGIN_MAX_FAILURES: envInteger({ min: 1, max: 100 }).default(5),
  LOGIN_LOCK_SECONDS: envInteger({ min: 1, max: 86_400 }).default(900),
  /** Sign-in attempts per client address and minute, per replica, before 429. */
  LOGIN_RATE_PER_MINUTE: envInteger({ min: 1, max: 10_000 }).default(20),
  /** Requests per client address and minute, per replica, to the routes anyone may call (web callbacks), before 429. */
  PUBLIC_RATE_PER_MINUTE: envInteger({ min: 1, max: 100_000 }).default(10),
  /** Users and tool clients upserted at start-up (YAML: users, clients); passwords hashed on the way in. */
  API_SEED_FILE: z.string().min(1).optional(),

  /** The operator's own issuer instead of the embedded one: tokens are verified against its JWKS. */
  OIDC_EXTERNAL_ISSUER: url('https://sso.example.com/realms/cc').optional(),
  /** The audience tokens must carry (the api's client id or resource at that issuer). */
  OIDC_AUDIENCE: z.string().min(1).default('urn:lianluo:api'),
  /** Claim paths (dots for nesting, e.g. realm_access.roles) that carry the tenant, the roles and the agent id. */
  OIDC_TENANT_CLAIM: z.string().min(1).default('tenant'),
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  OIDC_AGENT_CLAIM: z.string().min(1).default('agent_id'),
  /** Maps the external issuer's role values to Lianluo's roles; values already named as roles pass unmapped. */
  OIDC_ROLE_MAP: roleMapping.default({}),

  /** Bytes a live WebSocket client may leave unread on its socket before it counts as too slow and is closed (1013); it resumes from its cursor. */
  LIVE_MAX_BUFFERED_BYTES: envInteger({ min: 16_384, max: 64 * 1024 * 1024 }).default(1024 * 1024),
  /** Live events held for a client while the replay before them is sent, beyond which the same holds. */
  LIVE_MAX_HELD_EVENTS: envInteger({ min: 100, max: 1_000_000 }).default(10_000),

  /** The services' own HTTP routes, which answer only api's service token (SERVICE_AUTH_PRIVATE_KEY); a route whose service is not set answers 503. */
  ACD_URL: url('http://acd:3002').optional(),
  IVR_URL: url('http://ivr:3003').optional(),
  VOICEMAIL_URL: url('http://voicemail:3004').optional(),
  REPORTING_URL: url('http://reporting:3005').optional(),
  /** How long a request to a service's command waits for its reply. */
  COMMAND_TIMEOUT_MS: envInteger({ min: 100, max: 60_000 }).default(5_000),
}).check((ctx) => {
  const config = ctx.value;
  if (config.OIDC_EXTERNAL_ISSUER) return;
  for (const variable of ['OIDC_ISSUER', 'OIDC_SIGNING_KEYS', 'OIDC_COOKIE_SECRETS'] as const) {
    if (config[variable] === undefined) {
      ctx.issues.push({ code: 'custom', input: undefined, path: [variable], message: 'is required for the embedded OpenID provider (or set OIDC_EXTERNAL_ISSUER)' });
    }
  }
});

export type ApiConfig = z.output<typeof apiConfigSchema>;
export const API_CONFIG = Symbol('ApiConfig');

/** The embedded provider's issuer URL; the schema requires it whenever there is no external issuer. */
export function embeddedIssuer(config: ApiConfig): string {
  if (!config.OIDC_ISSUER) throw new Error('OIDC_ISSUER is not set: the embedded OpenID provider needs it');
  return config.OIDC_ISSUER;
}
