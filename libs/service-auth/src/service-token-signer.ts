import { randomUUID } from 'node:crypto';
import { type ImportedKey, jose } from './jose';
import type { PrivateServiceJwk } from './service-keys';
import { SERVICE_TOKEN } from './service-token';

export interface ServiceTokenSignerOptions {
  /** api's private key (SERVICE_AUTH_PRIVATE_KEY). */
  readonly privateKey: PrivateServiceJwk;
  /** How long a token is valid; a minute by default. */
  readonly lifetimeSeconds?: number;
  /** Milliseconds since the epoch; the system clock unless a test moves time. */
  readonly now?: () => number;
}

interface SignedToken {
  readonly token: string;
  /** When it is replaced by a new one: a while before it expires, so none arrives expired. */
  readonly renewAtMs: number;
}

/**
 * api's side of its service identity: signs short-lived tokens (EdDSA) for one service each,
 * and keeps each service's token until a quarter of its life remains, so a busy edge signs
 * about once a minute per service instead of once a request.
 */
export class ServiceTokenSigner {
  private readonly lifetimeSeconds: number;
  private readonly now: () => number;
  private readonly key: Promise<ImportedKey>;
  private readonly tokens = new Map<string, Promise<SignedToken>>();

  constructor(private readonly options: ServiceTokenSignerOptions) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? SERVICE_TOKEN.lifetimeSeconds;
    if (!Number.isInteger(this.lifetimeSeconds) || this.lifetimeSeconds < 1) throw new RangeError('lifetimeSeconds must be a positive integer');
    this.now = options.now ?? Date.now;
    this.key = jose().then(({ importJWK }) => importJWK({ ...options.privateKey }, SERVICE_TOKEN.algorithm));
    // A bad key is reported when the first token is asked for; until then nobody awaits it.
    this.key.catch(() => undefined);
  }

  /** A token for `audience` (the service's name, e.g. `acd`), fresh or cached. */
  async tokenFor(audience: string): Promise<string> {
    const cached = await this.tokens.get(audience)?.catch(() => undefined);
    if (cached && this.now() < cached.renewAtMs) return cached.token;
    // Two callers racing past the renewal time sign twice: harmless, both tokens are valid.
    const signing = this.sign(audience);
    this.tokens.set(audience, signing);
    return (await signing).token;
  }

  /** The `Authorization` header of a request to `audience`. */
  async authorizationFor(audience: string): Promise<string> {
    return `Bearer ${await this.tokenFor(audience)}`;
  }

  private async sign(audience: string): Promise<SignedToken> {
    const { SignJWT } = await jose();
    const issuedAtS = Math.floor(this.now() / 1_000);
    const expiresAtS = issuedAtS + this.lifetimeSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: SERVICE_TOKEN.algorithm, kid: this.options.privateKey.kid, typ: 'JWT' })
      .setIssuer(SERVICE_TOKEN.issuer)
      .setSubject(SERVICE_TOKEN.subject)
      .setAudience(audience)
      .setIssuedAt(issuedAtS)
      .setExpirationTime(expiresAtS)
      .setJti(randomUUID())
      .sign(await this.key);
    return { token, renewAtMs: (expiresAtS - this.lifetimeSeconds / 4) * 1_000 };
  }
}
