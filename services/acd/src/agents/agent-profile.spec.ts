import { parseAgentProfile } from './agent-profile';

describe('parseAgentProfile', () => {
  it('takes a multi-channel agent at either site', () => {
    const agent = parseAgentProfile({ agentId: 'li.wei', site: 'sz', skills: { billing: 4 }, capacity: { voice: 1, chat: 3, email: 2 }, queues: ['sales'] });
    expect(agent).toMatchObject({ kind: 'agent', capacity: { voice: 1, chat: 3, email: 2 } });
  });

  it('takes another employee as a routing target', () => {
    expect(parseAgentProfile({ agentId: 'cfo', site: 'bj', kind: 'employee', phone: { pstnNumber: '+8610123' }, capacity: { workitem: 5 }, queues: ['escalations'] }).kind).toBe('employee');
  });

  it('refuses capacity that allows nothing, unknown channels, bad proficiency and no queues', () => {
    expect(() => parseAgentProfile({ agentId: 'a', site: 'bj', capacity: { voice: 0 }, queues: ['q'] })).toThrow('capacity: must allow at least one contact');
    expect(() => parseAgentProfile({ agentId: 'a', site: 'bj', capacity: { pigeon: 1 }, queues: ['q'] })).toThrow(/capacity\.pigeon|capacity/);
    expect(() => parseAgentProfile({ agentId: 'a', site: 'bj', skills: { billing: 6 }, capacity: { voice: 1 }, queues: ['q'] })).toThrow('skills.billing: must be at most 5');
    expect(() => parseAgentProfile({ agentId: 'a', site: 'bj', capacity: { voice: 1 }, queues: [] })).toThrow('queues: must name at least one queue');
  });
});
