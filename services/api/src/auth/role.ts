/** What a person or tool may do in a tenant; a platform operator acts across tenants. */
export const ROLES = ['agent', 'supervisor', 'admin', 'platform-operator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
