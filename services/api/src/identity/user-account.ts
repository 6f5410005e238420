import { type Role } from '../auth/role';

/** A person who signs in at the embedded provider. */
export interface UserAccount {
  readonly userId: string;
  readonly tenant: string | undefined;
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly agentId: string | undefined;
  readonly disabled: boolean;
}

/** The claims tokens carry about a user: who, in which tenant, with which roles, as which agent. */
export function claimsOfUser(user: UserAccount): Record<string, unknown> {
  return {
    sub: user.userId,
    name: user.displayName || user.login,
    preferred_username: user.login,
    ...(user.tenant === undefined ? {} : { tenant: user.tenant }),
    roles: [...user.roles],
    ...(user.agentId === undefined ? {} : { agent_id: user.agentId }),
  };
}
