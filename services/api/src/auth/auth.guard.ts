import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerTokenOf } from '@lianluo/service-auth';
import { AccessTokenVerifier, TokenRefused } from './access-token.verifier';
import { type Principal } from './principal';
import { isOpenRoute } from './public.decorator';

/** A request as the guards leave it: with the principal its token proved. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  principal?: Principal;
}

/** Every route but a @Public one needs a valid access token: 401 otherwise, saying why. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isOpenRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw new UnauthorizedException({ error: 'unauthorized', message: 'sign in: send an access token as Authorization: Bearer <token>' });
    try {
      request.principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRefused) throw new UnauthorizedException({ error: 'unauthorized', message: error.message });
      throw error;
    }
    return true;
  }
}
