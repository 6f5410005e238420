import { type Principal } from '../auth/principal';
import { type Action, type Subject, abilityOf } from './ability';

const person = (roles: Principal['roles'], agentId?: string, tenant: string | undefined = 'acme'): Principal => ({ subject: 'u1', tenant, roles, agentId });
const can = (principal: Principal, action: Action, kind: Subject, tenant = 'acme') => abilityOf(principal).can(action, { kind, tenant });

describe('the authorisation policy', () => {
  it('lets an agent act as itself and read customers, only in its own tenant', () => {
    const agent = person(['agent'], 'li');
    expect(can(agent, 'act', 'Me')).toBe(true);
    expect(can(agent, 'read', 'Customer')).toBe(true);
    expect(can(agent, 'act', 'Me', 'other')).toBe(false);
    expect(can(agent, 'read', 'Customer', 'other')).toBe(false);
  });

  it('gives an agent nothing of supervisors or admins', () => {
    const agent = person(['agent'], 'li');
    for (const [action, kind] of [['read', 'Report'], ['update', 'AgentState'], ['act', 'Contact'], ['read', 'User'], ['update', 'Configuration'], ['read', 'AuditLog']] as const) {
      expect(can(agent, action, kind)).toBe(false);
    }
  });

  it("lets agents and supervisors read the tenant's not-ready reasons and wrap-up codes, only admins change them", () => {
    for (const roles of [['agent'], ['supervisor']] as const) {
      const reader = person(roles, 'li');
      expect(can(reader, 'read', 'CatalogueCode')).toBe(true);
      expect(can(reader, 'read', 'CatalogueCode', 'other')).toBe(false);
      expect(can(reader, 'update', 'CatalogueCode')).toBe(false);
      expect(can(reader, 'delete', 'CatalogueCode')).toBe(false);
    }
    expect(can(person(['admin']), 'update', 'CatalogueCode')).toBe(true);
  });

  it('gives the agent role nothing without an agent id to act as', () => {
    expect(can(person(['agent']), 'act', 'Me')).toBe(false);
    expect(can(person(['agent']), 'read', 'Customer')).toBe(false);
  });

  it('lets a supervisor watch and steer agents and contacts but not manage users or configuration', () => {
    const supervisor = person(['supervisor']);
    expect(can(supervisor, 'read', 'Report')).toBe(true);
    expect(can(supervisor, 'update', 'AgentState')).toBe(true);
    expect(can(supervisor, 'act', 'Contact')).toBe(true);
    expect(can(supervisor, 'read', 'User')).toBe(false);
    expect(can(supervisor, 'update', 'Configuration')).toBe(false);
    expect(can(supervisor, 'act', 'Me')).toBe(false);
    expect(can(supervisor, 'read', 'Report', 'other')).toBe(false);
  });

  it('lets an admin manage everything of its tenant except tenants, and nothing of another', () => {
    const admin = person(['admin']);
    expect(can(admin, 'create', 'User')).toBe(true);
    expect(can(admin, 'update', 'Configuration')).toBe(true);
    expect(can(admin, 'read', 'AuditLog')).toBe(true);
    expect(can(admin, 'manage', 'Tenant')).toBe(false);
    expect(can(admin, 'read', 'User', 'other')).toBe(false);
    expect(can(admin, 'act', 'Me')).toBe(false);
  });

  it('lets an admin who also works as an agent take contacts', () => {
    expect(can(person(['admin', 'agent'], 'li'), 'act', 'Me')).toBe(true);
  });

  it('lets a platform operator act in every tenant', () => {
    const operator = person(['platform-operator'], undefined, undefined);
    expect(can(operator, 'read', 'User', 'acme')).toBe(true);
    expect(can(operator, 'manage', 'Tenant', 'other')).toBe(true);
  });

  describe('on live events', () => {
    const sees = (principal: Principal, tenant: string, agentId?: string) => abilityOf(principal).can('read', { kind: 'LiveEvent', tenant, ...(agentId ? { agentId } : {}) });

    it("shows an agent the events about itself, never another agent's nor the tenant's board", () => {
      const agent = person(['agent'], 'li');
      expect(sees(agent, 'acme', 'li')).toBe(true);
      expect(sees(agent, 'acme', 'wu')).toBe(false);
      expect(sees(agent, 'acme')).toBe(false);
      expect(sees(agent, 'other', 'li')).toBe(false);
    });

    it('shows the agent role nothing without an agent id', () => {
      expect(sees(person(['agent']), 'acme', 'li')).toBe(false);
      expect(sees(person(['agent']), 'acme')).toBe(false);
    });

    it("shows a supervisor and an admin every event of their tenant and none of another's", () => {
      for (const role of ['supervisor', 'admin'] as const) {
        expect(sees(person([role]), 'acme')).toBe(true);
        expect(sees(person([role]), 'acme', 'wu')).toBe(true);
        expect(sees(person([role]), 'other')).toBe(false);
        expect(sees(person([role]), 'other', 'wu')).toBe(false);
      }
    });

    it('shows a platform operator the events of every tenant', () => {
      expect(sees(person(['platform-operator'], undefined, undefined), 'other', 'wu')).toBe(true);
    });
  });
});
