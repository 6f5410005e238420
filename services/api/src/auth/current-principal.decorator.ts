import { type ExecutionContext, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { type AuthenticatedRequest } from './auth.guard';
import { type Principal } from './principal';

/** The principal AuthGuard verified for this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException({ error: 'unauthorized', message: 'sign in first' });
  return principal;
});
