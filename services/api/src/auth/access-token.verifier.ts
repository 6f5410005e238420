import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type JWK, type JWTVerifyGetKey, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { API_CONFIG, type ApiConfig, embeddedIssuer } from '../api.config';
import { type ClaimMapping, principalOfClaims } from './principal-of-claims';
import { type Principal } from './principal';

/** Why a bearer token was refused; said to the caller in these words, nothing more. */
export class TokenRefused extends Error {}

/** A verified access token: who it proves, and when it expires (ms since the epoch; undefined: never). */
export interface VerifiedToken {
  readonly principal: Principal;
  readonly expiresAtMs: number | undefined;
}

/** The public half of a private JWK: what verifiers may see. */
export function publicJwkOf(key: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, k: _k, ...rest } = key as JWK & { oth?: unknown };
  return rest;
}

/**
 * Verifies access tokens (JWT, `Authorization: Bearer`) of the embedded provider, against its
 * own public keys, or of the operator's issuer, against the JWKS its discovery document names:
 * signature, issuer, audience and expiry; then maps the claims to a principal.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly issuer: string;
  private readonly mapping: ClaimMapping;
  private keys: Promise<JWTVerifyGetKey> | undefined;
  /**
   * Tokens verified already, until they expire: a desktop sends the same token with every
   * request, and verifying its signature each time would cost more than most routes do.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: 20_000 });

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    this.issuer = config.OIDC_EXTERNAL_ISSUER ?? embeddedIssuer(config);
    this.mapping = {
      tenantClaim: config.OIDC_TENANT_CLAIM,
      rolesClaim: config.OIDC_ROLES_CLAIM,
      agentClaim: config.OIDC_AGENT_CLAIM,
      roleMap: config.OIDC_ROLE_MAP,
    };
  }

  async verify(token: string): Promise<Principal> {
    return (await this.verifyToken(token)).principal;
  }

  /** As `verify`, and until when the token holds: a live connection ends there. */
  async verifyToken(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), { issuer: this.issuer, audience: this.config.OIDC_AUDIENCE, clockTolerance: 5 }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenRefused('the access token has expired');
      if (error instanceof errors.JOSEError) throw new TokenRefused('the access token is not valid here');
      throw error;
    }
    const principal = principalOfClaims(payload, this.mapping);
    if (!principal) throw new TokenRefused('the access token names no tenant or no role');
    const verified = { principal, expiresAtMs: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
    if (verified.expiresAtMs !== undefined) this.verified.set(token, verified, { ttl: Math.max(1, verified.expiresAtMs - Date.now()) });
    return verified;
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.loadKeySet().catch((error: unknown) => {
      this.keys = undefined; // try the issuer again on the next request
      throw error;
    });
    return this.keys;
  }

  private async loadKeySet(): Promise<JWTVerifyGetKey> {
    const external = this.config.OIDC_EXTERNAL_ISSUER;
    if (!external) return createLocalJWKSet({ keys: (this.config.OIDC_SIGNING_KEYS?.keys ?? []).map((key) => publicJwkOf(key as JWK)) });
    const discovery = `${external.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the issuer's discovery document ${discovery} answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
    if (!jwksUri) throw new Error(`the issuer's discovery document ${discovery} names no jwks_uri`);
    return createRemoteJWKSet(new URL(jwksUri));
  }
}
