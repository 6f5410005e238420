import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../flows/flow-document';
import { type Flow } from '../flows/flow.schema';
import { type CallPort, type CallerIdentity, CallerLeft, type Collected, type FlowCheckpoint, type FlowEvent, type QueueRequest, type VoicemailRequest } from './call-port';
import { FlowRunner } from './flow-runner';

function demoFlow(edit: (text: string) => string = (t) => t): Flow {
  const parsed = parseFlow('demo.yaml', edit(readFileSync(join(__dirname, '..', '..', 'flows', 'demo.yaml'), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.flow;
}

/** A caller who presses the given keys, one answer per collect; records what the flow did. */
class ScriptedCall implements CallPort {
  readonly played: string[][] = [];
  readonly events: FlowEvent[] = [];
  queued: QueueRequest | undefined;
  voicemailed: VoicemailRequest | undefined;
  hungUp = false;

  constructor(
    private readonly answers: (string | 'hangup')[],
    private readonly identity: CallerIdentity = { blacklisted: false, customer: undefined },
  ) {}

  async play(media: readonly string[]): Promise<void> {
    this.played.push([...media]);
  }
  async collect(): Promise<Collected> {
    const next = this.answers.shift();
    if (next === 'hangup') throw new CallerLeft();
    return next ? { digits: next, end: 'max_digits' } : { digits: '', end: 'first_digit_timeout' };
  }
  async identify(): Promise<CallerIdentity> {
    return this.identity;
  }
  async lookup(): Promise<Record<string, unknown>> {
    throw new Error('no lookups here');
  }
  async enqueue(request: QueueRequest): Promise<void> {
    this.queued = request;
  }
  async voicemail(request: VoicemailRequest): Promise<void> {
    this.voicemailed = request;
  }
  async requestCallback(): Promise<void> {}
  async transfer(): Promise<void> {}
  async hangUp(): Promise<void> {
    this.hungUp = true;
  }
  async record(event: FlowEvent): Promise<void> {
    this.events.push(event);
  }
  readonly checkpoints: FlowCheckpoint[] = [];
  async checkpoint(at: FlowCheckpoint): Promise<void> {
    this.checkpoints.push(structuredClone(at));
  }
}

const caller = { number: '13800138000', name: '', dialled: '100' };
const monday10am = () => new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai

describe('running a flow', () => {
  it('takes 2 then 1 to the billing queue with the priority the flow names and the account number entered', async () => {
    const call = new ScriptedCall(['2', '1', '12345678']);
    const result = await new FlowRunner(demoFlow(), call, caller, monday10am).run();
    expect(result.outcome).toBe('queued');
    expect(call.queued).toMatchObject({ queue: 'service', skills: { billing: 3 }, priority: 5, businessValue: 100, data: { account: '12345678' } });
    expect(call.events.filter((e) => e.kind === 'menu_chosen').map((e) => (e as { key: string }).key)).toEqual(['2', '1']);
  });

  it('keeps a checkpoint before each step that talks to the caller, with the data gathered so far', async () => {
    const call = new ScriptedCall(['2', '1', '12345678']);
    await new FlowRunner(demoFlow(), call, caller, monday10am).run();
    const steps = call.checkpoints.map((at) => at.step);
    expect(steps.slice(-2)).toEqual(['service_menu', 'account']);
    expect(steps.indexOf('main_menu')).toBeLessThan(steps.indexOf('service_menu'));
    expect(call.checkpoints.at(-1)?.data.caller).toMatchObject({ number: caller.number });
  });

  it('goes on from a checkpoint another replica left: its step and its data, not the flow from the start', async () => {
    const first = new ScriptedCall(['2', '1', '12345678']);
    await new FlowRunner(demoFlow(), first, caller, monday10am).run();
    const atAccount = first.checkpoints.find((at) => at.step === 'account')!;
    atAccount.data.vars.language = 'en';

    const taken = new ScriptedCall(['55555']);
    const result = await new FlowRunner(demoFlow(), taken, caller, monday10am, atAccount).run();
    expect(result.outcome).toBe('queued');
    // The variables gathered before the takeover travel on with the contact.
    expect(taken.queued?.data).toEqual({ language: 'en', account: '55555' });
    expect(taken.events.filter((e) => e.kind === 'menu_chosen')).toEqual([]);
  });

  it('starts over when the flow, reloaded meanwhile, no longer has the step of the checkpoint', async () => {
    const call = new ScriptedCall(['2', '1', '12345678']);
    const result = await new FlowRunner(demoFlow(), call, caller, monday10am, { step: 'gone', data: { customer: {}, caller: {}, vars: { x: 1 }, lookup: {} } }).run();
    expect(result.outcome).toBe('queued');
    expect(call.events.filter((e) => e.kind === 'menu_chosen').map((e) => (e as { key: string }).key)).toEqual(['2', '1']);
    expect(result.data.vars).not.toHaveProperty('x');
  });

  it('repeats a menu after a wrong key and gives up after the retries', async () => {
    const call = new ScriptedCall(['7', '', '8']);
    const result = await new FlowRunner(demoFlow(), call, caller, monday10am).run();
    expect(result).toMatchObject({ outcome: 'hung_up', step: 'goodbye' });
    expect(call.played).toContainEqual(['sound:pm-invalid-option']);
    expect(call.played.at(-1)).toEqual(['sound:goodbye']);
  });

  it('asks again for an account number that does not match the pattern', async () => {
    const call = new ScriptedCall(['2', '1', '12', '98765']);
    await new FlowRunner(demoFlow(), call, caller, monday10am).run();
    expect(call.queued?.data).toEqual({ account: '98765' });
  });

  it('asks for the agent who last took the number, known customer or not, before the customer record\'s agent', async () => {
    const stranger = new ScriptedCall(['1'], { blacklisted: false, customer: undefined, lastAgent: 'a7' });
    await new FlowRunner(demoFlow(), stranger, caller, monday10am).run();
    expect(stranger.queued).toMatchObject({ queue: 'sales', lastAgent: 'a7', customerId: undefined });
    const regular = new ScriptedCall([], { blacklisted: false, customer: { id: 'c-1', vip: true, last_agent: '1001' }, lastAgent: 'a7' });
    await new FlowRunner(demoFlow(), regular, caller, monday10am).run();
    expect(regular.queued).toMatchObject({ queue: 'vip', lastAgent: 'a7' });
  });

  it('sends a known VIP straight to the VIP queue, and a blacklisted number to the nuisance branch', async () => {
    const vip = new ScriptedCall([], { blacklisted: false, customer: { id: 'c-1', vip: true, last_agent: '1001' } });
    await new FlowRunner(demoFlow(), vip, caller, monday10am).run();
    expect(vip.queued).toMatchObject({ queue: 'vip', priority: 50, customerId: 'c-1', lastAgent: '1001' });
    const nuisance = new ScriptedCall([], { blacklisted: true, customer: undefined });
    expect(await new FlowRunner(demoFlow(), nuisance, caller, monday10am).run()).toMatchObject({ outcome: 'hung_up', step: 'nuisance' });
  });

  it('plays the closed branch outside business hours and offers voicemail', async () => {
    const weekdaysOnly = demoFlow((t) => t.replace('      - { days: [sat, sun], from: "00:00", to: "23:59" }\n', '').replace('from: "00:00", to: "23:59" }', 'from: "09:00", to: "18:00" }'));
    const call = new ScriptedCall([]);
    const sundayNight = () => new Date('2026-11-22T14:00:00Z'); // 22:00 Sunday in Shanghai
    expect(await new FlowRunner(weekdaysOnly, call, caller, sundayNight).run()).toMatchObject({ outcome: 'voicemail', step: 'closed' });
    expect(call.voicemailed).toMatchObject({ greeting: ['sound:vm-intro'] });
    const open = new ScriptedCall(['1']);
    expect(await new FlowRunner(weekdaysOnly, open, caller, monday10am).run()).toMatchObject({ outcome: 'queued' });
  });

  it('stops quietly when the caller hangs up in a menu', async () => {
    const call = new ScriptedCall(['hangup']);
    expect(await new FlowRunner(demoFlow(), call, caller, monday10am).run()).toMatchObject({ outcome: 'caller_left', step: 'main_menu' });
    expect(call.hungUp).toBe(false);
  });

  it('cuts off a flow that loops forever', async () => {
    const looping = demoFlow((t) => t.replace('options: { "1": account, "9": main_menu }', 'options: { "1": account, "9": main_menu }\n    retries: 0'));
    const call = new ScriptedCall(Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? '2' : '9')));
    expect(await new FlowRunner(looping, call, caller, monday10am).run()).toMatchObject({ outcome: 'failed' });
    expect(call.hungUp).toBe(true);
  });
});
