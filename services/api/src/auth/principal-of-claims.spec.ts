import { principalOfClaims } from './principal-of-claims';

const embedded = { tenantClaim: 'tenant', rolesClaim: 'roles', agentClaim: 'agent_id', roleMap: {} };

describe('principalOfClaims', () => {
  it('reads tenant, roles and agent id of the embedded provider', () => {
    expect(principalOfClaims({ sub: 'u1', tenant: 'acme', roles: ['agent'], agent_id: 'li' }, embedded)).toEqual({ subject: 'u1', tenant: 'acme', roles: ['agent'], agentId: 'li' });
  });

  it('follows dotted claim paths and maps an external issuer role names', () => {
    const keycloak = { tenantClaim: 'org.id', rolesClaim: 'realm_access.roles', agentClaim: 'preferred_username', roleMap: { 'cc-agents': 'agent', 'cc-leads': 'supervisor' } };
    const payload = { sub: 'k1', org: { id: 'acme' }, realm_access: { roles: ['offline_access', 'cc-agents', 'cc-leads'] }, preferred_username: 'li' };
    expect(principalOfClaims(payload, keycloak)).toEqual({ subject: 'k1', tenant: 'acme', roles: ['agent', 'supervisor'], agentId: 'li' });
  });

  it('accepts roles as a space or comma separated string', () => {
    expect(principalOfClaims({ sub: 'u1', tenant: 'acme', roles: 'admin supervisor' }, embedded)?.roles).toEqual(['admin', 'supervisor']);
  });

  it('grants nothing to a token without a known role', () => {
    expect(principalOfClaims({ sub: 'u1', tenant: 'acme', roles: ['owner'] }, embedded)).toBeUndefined();
    expect(principalOfClaims({ sub: 'u1', tenant: 'acme' }, embedded)).toBeUndefined();
  });

  it('grants nothing to a token without a tenant unless it is a platform operator', () => {
    expect(principalOfClaims({ sub: 'u1', roles: ['admin'] }, embedded)).toBeUndefined();
    expect(principalOfClaims({ sub: 'ops', roles: ['platform-operator'] }, embedded)).toEqual({ subject: 'ops', tenant: undefined, roles: ['platform-operator'], agentId: undefined });
  });

  it('names a tool by its client id when the token has no subject', () => {
    expect(principalOfClaims({ client_id: 'crm', tenant: 'acme', roles: ['admin'] }, embedded)?.subject).toBe('crm');
  });
});
