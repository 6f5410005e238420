import { type CanActivate, type ExecutionContext, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ServiceTokenRejected } from './service-token-rejected';
import { ServiceTokenVerifier } from './service-token-verifier';

interface BearerRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method?: string;
  readonly url?: string;
}

interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Lets a request through only with a valid token of api's (`Authorization: Bearer <jwt>`)
 * for this service. Put on every controller of a service's own routes:
 * `@UseGuards(ServiceIdentityGuard)`; health and metrics stay open. A refusal is 401 with
 * `{ error: 'unauthorized', message }` and nothing of why a check failed but in the log.
 */
@Injectable()
export class ServiceIdentityGuard implements CanActivate {
  private readonly logger = new Logger(ServiceIdentityGuard.name);

  constructor(private readonly verifier: ServiceTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<BearerRequest>();
    try {
      await this.verifier.verify(bearerTokenOf(request.headers.authorization));
      return true;
    } catch (error) {
      if (!(error instanceof ServiceTokenRejected)) throw error;
      this.logger.warn({ method: request.method, url: request.url?.split('?')[0], rejection: error.kind, detail: error.detail }, 'refused a request without a valid service token');
      // RFC 6750: say which scheme is expected, and whether the token was the problem.
      const challenge = error.kind === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
      context.switchToHttp().getResponse<HeaderResponse>().setHeader('WWW-Authenticate', challenge);
      throw new UnauthorizedException({ error: 'unauthorized', message: error.message });
    }
  }
}

/** The token of `Authorization: Bearer <token>`; undefined for any other header or none. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  return match?.[1];
}
