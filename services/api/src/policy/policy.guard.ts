import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { isOpenRoute } from '../auth/public.decorator';
import { type Principal } from '../auth/principal';
import { type AppAbility, abilityOf } from './ability';
import { ALLOW, type Allowance } from './allow.decorator';

const forbidden = () => new ForbiddenException({ error: 'forbidden', message: 'your roles in this tenant do not allow this' });

/**
 * Runs after AuthGuard: the route's @Allow against the principal's roles, in the tenant the
 * path names (`:tenant`), or across tenants for routes without one (platform operators).
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  /** A principal's ability, built once: the verifier hands out the same principal for a token it has seen. */
  private readonly abilities = new WeakMap<Principal, AppAbility>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (isOpenRoute(this.reflector, context)) return true;
    const allowance = this.reflector.getAllAndOverride<Allowance | undefined>(ALLOW, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.principal;
    if (!allowance || !principal) throw forbidden();
    let ability = this.abilities.get(principal);
    if (!ability) this.abilities.set(principal, (ability = abilityOf(principal)));
    const tenant = request.params.tenant;
    const allowed = tenant === undefined ? ability.can(allowance.action, allowance.subject) && principal.tenant === undefined : ability.can(allowance.action, { kind: allowance.subject, tenant });
    if (!allowed) throw forbidden();
    return true;
  }
}
