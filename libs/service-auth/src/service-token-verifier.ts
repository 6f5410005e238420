import { type LocalKeySet, jose } from './jose';
import type { ServiceJwks } from './service-keys';
import { SERVICE_TOKEN, type ServiceTokenClaims } from './service-token';
import { ServiceTokenRejected } from './service-token-rejected';

export interface ServiceTokenVerifierOptions {
  /** The service's own name: tokens must be for it (`aud`). */
  readonly audience: string;
  /** api's public keys (SERVICE_AUTH_PUBLIC_KEYS); a token's `kid` picks one. */
  readonly publicKeys: ServiceJwks;
  /** Seconds the service's and api's clocks may disagree by; 5 by default. */
  readonly clockToleranceSeconds?: number;
  /** Milliseconds since the epoch; the system clock unless a test moves time. */
  readonly now?: () => number;
}

/** Refuses tokens issued for longer than this, whatever their `exp` says: api's are a minute. */
const MAX_TOKEN_AGE_S = 5 * 60;

/**
 * A service's side of api's identity: checks a token's signature against the configured
 * keys (never fetched: a service makes no request to learn whom to trust), its issuer,
 * subject, audience and lifetime.
 */
export class ServiceTokenVerifier {
  private readonly keySet: Promise<LocalKeySet>;
  private readonly clockToleranceSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: ServiceTokenVerifierOptions) {
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? 5;
    this.now = options.now ?? Date.now;
    this.keySet = jose().then(({ createLocalJWKSet }) => createLocalJWKSet({ keys: options.publicKeys.keys.map((key) => ({ ...key })) }));
  }

  /** The token's claims. @throws ServiceTokenRejected when it is not api's, for this service, now. */
  async verify(token: string | undefined): Promise<ServiceTokenClaims> {
    if (!token) throw new ServiceTokenRejected('missing');
    const { jwtVerify, errors } = await jose();
    try {
      const { payload } = await jwtVerify(token, await this.keySet, {
        algorithms: [SERVICE_TOKEN.algorithm],
        issuer: SERVICE_TOKEN.issuer,
        subject: SERVICE_TOKEN.subject,
        audience: this.options.audience,
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: MAX_TOKEN_AGE_S,
        clockTolerance: this.clockToleranceSeconds,
        currentDate: new Date(this.now()),
      });
      return {
        issuer: SERVICE_TOKEN.issuer,
        subject: SERVICE_TOKEN.subject,
        audience: this.options.audience,
        tokenId: String(payload.jti),
        issuedAtS: Number(payload.iat),
        expiresAtS: Number(payload.exp),
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new ServiceTokenRejected('expired', `${error.code}: ${error.message}`);
      if (error instanceof errors.JOSEError) throw new ServiceTokenRejected('invalid', `${error.code}: ${error.message}`);
      // Not a JSON Web Token at all (jose reports most such input as JOSEErrors already).
      if (error instanceof TypeError) throw new ServiceTokenRejected('invalid', error.message);
      throw error;
    }
  }
}
