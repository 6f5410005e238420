import { claimAt } from './claim-path';
import { type Principal } from './principal';
import { type Role, isRole } from './role';

/** Where an issuer's tokens carry tenant, roles and agent id, and how its role names map to ours. */
export interface ClaimMapping {
  readonly tenantClaim: string;
  readonly rolesClaim: string;
  readonly agentClaim: string;
  /** The issuer's role value → our role; a value that already is one of our roles passes as it is. */
  readonly roleMap: Readonly<Record<string, string>>;
}

/**
 * The principal a verified token's payload describes, or undefined when it names no tenant
 * (and is no platform operator) or no role: such a token grants nothing.
 */
export function principalOfClaims(payload: Record<string, unknown>, mapping: ClaimMapping): Principal | undefined {
  const rawRoles = claimAt(payload, mapping.rolesClaim);
  const values = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = [...new Set(values.map((value) => (typeof value === 'string' ? (mapping.roleMap[value] ?? value) : undefined)).filter(isRole))] as Role[];
  const tenantClaim = claimAt(payload, mapping.tenantClaim);
  const tenant = typeof tenantClaim === 'string' && tenantClaim !== '' ? tenantClaim : undefined;
  const subject = typeof payload.sub === 'string' ? payload.sub : typeof payload.client_id === 'string' ? payload.client_id : undefined;
  if (roles.length === 0 || subject === undefined) return undefined;
  if (tenant === undefined && !roles.includes('platform-operator')) return undefined;
  const agentClaim = claimAt(payload, mapping.agentClaim);
  return { subject, tenant, roles, agentId: typeof agentClaim === 'string' && agentClaim !== '' ? agentClaim : undefined };
}
