import { AgentState, Channel, RoutingStepKind } from '@lianluo/contracts';
import { acdEventOf, type OutboxEvent, outboxEventsOf } from './outbox-event';

const contact = { contact: 'c1', queue: 'sales', channel: 'voice', site: 'bj', customer: 'cust-1', callSite: 'bj', callId: 'bj-1.1', at: 1_700_000_000_000 };
const agent = { agent: 'ann', agentSite: 'sz' };

describe('acdEventOf', () => {
  it('turns every kind of outbox event into a valid acd event', () => {
    const raws: OutboxEvent[] = [
      { type: 'queued', ...contact, priority: 3, skills: 'voice|billing=2', preferred: 'ann', position: 2 },
      { type: 'offered', ...contact, ...agent, endpoint: 'extension:2001', attempt: 1, deadline: 1_700_000_020_000, data: '{"account":"42"}' },
      { type: 'accepted', ...contact, ...agent, attempt: 1, waited: 4_000 },
      { type: 'rejected', ...contact, ...agent, attempt: 1, reason: 'declined', returned: true },
      { type: 'ring_no_answer', ...contact, ...agent, attempt: 2, returned: false },
      { type: 'abandoned', ...contact, reason: 'abandoned', previous: 'waiting', waited: 9_000 },
      { type: 'completed', ...contact, ...agent, wrapUpUntil: 1_700_000_030_000 },
      { type: 'overflowed', ...contact, targetKind: 'voicemail', target: 'sales-vm', waited: 120_000 },
      { type: 'transferred', ...contact, fromQueue: 'front', toAgent: 'ann', byAgent: 'bob', bySupervisor: '' },
      { type: 'escalated', ...contact, step: 1, stepKind: 'agents' },
      { type: 'position', ...contact, position: 3, waiting: 7, interval: 2_000 },
      { type: 'agent_state', at: contact.at, agent: 'ann', site: 'sz', state: 'not-ready', previous: 'reserved', reason: 'ring-no-answer' },
    ];
    for (const raw of raws) {
      const { definition, message } = acdEventOf('acme', `acme:1-0:${raw.type}`, raw);
      expect({ type: raw.type, violations: definition.validate(message as never) }).toEqual({ type: raw.type, violations: [] });
    }
    const offered = acdEventOf('acme', 'e', raws[1]!).message as unknown as { agentPhone: unknown; contact: unknown; data: unknown };
    expect(offered.agentPhone).toMatchObject({ target: { case: 'agent', value: { site: 'sz', extension: '2001' } } });
    expect(offered.contact).toMatchObject({ channel: Channel.VOICE, call: { tenant: 'acme', site: 'bj', callId: 'bj-1.1' } });
    expect(offered.data).toEqual({ account: '42' });
    expect(acdEventOf('acme', 'e', raws[0]!).message).toMatchObject({ requiredSkills: { billing: 2 }, position: 2 });
    expect(acdEventOf('acme', 'e', raws[9]!).message).toMatchObject({ stepKind: RoutingStepKind.NAMED_AGENTS });
    expect(acdEventOf('acme', 'e', raws[10]!).message).toMatchObject({ expectedWaitMs: 6_000 });
    expect(acdEventOf('acme', 'e', raws[11]!).message).toMatchObject({ state: AgentState.NOT_READY, previousState: AgentState.RESERVED, reasonCode: 'ring-no-answer' });
  });

  it('names the positions of the arrays the scripts write', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const encoded = JSON.stringify([
      ['offered', 5, 'c1', 'sales', 'chat', '', '', '', '', 'ann', 'bj', '', 2, 25, '', traceparent],
      ['agent_state', 5, 'ann', 'bj', 'reserved', 'ready', ''],
    ]);
    expect(outboxEventsOf(encoded)).toEqual([
      { type: 'offered', at: 5, contact: 'c1', queue: 'sales', channel: 'chat', site: '', customer: '', callSite: '', callId: '', agent: 'ann', agentSite: 'bj', endpoint: '', attempt: 2, deadline: 25, data: '', traceparent },
      { type: 'agent_state', at: 5, agent: 'ann', site: 'bj', state: 'reserved', previous: 'ready', reason: '' },
    ]);
  });

  it('publishes a contact event in the trace its contact was queued in; one written before contacts kept a trace, in none of its own', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const [traced, older] = outboxEventsOf(
      JSON.stringify([
        ['queued', 5, 'c1', 'sales', 'chat', '', '', '', '', 1, 'chat|', '', 1, traceparent],
        ['queued', 5, 'c2', 'sales', 'chat', '', '', '', '', 1, 'chat|', '', 2],
      ]),
    );
    expect(acdEventOf('acme', 'e1', traced!).traceparent).toBe(traceparent);
    expect(acdEventOf('acme', 'e2', older!)).not.toHaveProperty('traceparent');
    expect(acdEventOf('acme', 'e2', older!).message).toMatchObject({ contact: { contactId: 'c2' }, position: 2 });
  });

  it('refuses an event type it does not know, rather than publish something wrong', () => {
    expect(() => acdEventOf('acme', 'e', { type: 'teleported', at: 1 })).toThrow('unknown type "teleported"');
    expect(() => outboxEventsOf('[["teleported", 1]]')).toThrow('unknown type "teleported"');
  });
});
