import { type AgentSnapshot, agentStateOf } from './agent-state';

const idle: AgentSnapshot = { presence: 'ready', busy: {}, offered: {}, wrappingUp: false };

describe('agentStateOf', () => {
  it('shows the presence of an agent with nothing going on', () => {
    expect(agentStateOf(idle)).toEqual({ kind: 'ready' });
    expect(agentStateOf({ ...idle, presence: 'not-ready', reasonCode: 'lunch' })).toEqual({ kind: 'not-ready', reasonCode: 'lunch' });
    expect(agentStateOf({ ...idle, presence: 'logged-out', busy: { voice: 1 } })).toEqual({ kind: 'logged-out' });
  });

  it('shows a ringing offer before work in progress, and work before wrap-up', () => {
    expect(agentStateOf({ ...idle, busy: { chat: 2 }, offered: { chat: 1 }, wrappingUp: true })).toEqual({ kind: 'reserved' });
    expect(agentStateOf({ ...idle, busy: { chat: 2 }, offered: { chat: 0 }, wrappingUp: true })).toEqual({ kind: 'busy' });
    expect(agentStateOf({ ...idle, wrappingUp: true })).toEqual({ kind: 'wrap-up' });
  });

  it('shows a not-ready agent finishing a call as busy', () => {
    expect(agentStateOf({ ...idle, presence: 'not-ready', reasonCode: 'break', busy: { voice: 1 } })).toEqual({ kind: 'busy' });
  });
});
