// A killed ivr replica loses no caller: the caller waiting in a queue is taken over by
// another replica, which goes on with the wait and honours the caller's key.
import 'reflect-metadata';
import { AcdCommands, type CallRef, QueueChoice, Strategy } from '@lianluo/contracts';
import { runSipp, shippedDtmfPcap, writeDtmfPcap } from '@lianluo/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IvrStack } from './ivr-stack';

jest.setTimeout(120_000);

const FLOW = `
tenant: demo
numbers: ["500"]
start: waiting
steps:
  waiting: { type: queue, queue: nobody, announce_every_ms: 60000, offer_every_ms: 60000, callback_key: "2" }
`;

/** Two menus in a row: a caller who keys 5 at the first one is not taken to `bye` by `second`. */
const MENUS = `
tenant: demo
numbers: ["501"]
start: first
steps:
  first: { type: menu, play: [sound:beep], options: { "1": second }, timeout_ms: 20000, retries: 0, on_failure: bye }
  second: { type: menu, play: [sound:beep], options: { "5": bye }, timeout_ms: 30000, retries: 0, on_failure: bye }
  bye: { type: hang_up }
`;

const TIMING = { SESSION_HEARTBEAT_MS: '300', SESSION_STALE_MS: '1200' };

describe('an ivr replica killed while its caller waits', () => {
  let stack: IvrStack;

  beforeAll(async () => {
    stack = await IvrStack.start({ 'wait.yaml': FLOW, 'menus.yaml': MENUS }, [], { inProcessIvr: false });
    await stack.acd.ok(AcdCommands.upsertQueue, { queue: { queue: 'nobody', strategy: Strategy.LONGEST_IDLE } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('is taken over by another replica, which books the callback the caller then asks for', async () => {
    const first = await stack.ivrProcess(TIMING);
    await first.start();
    const started = stack.observer.nextCall();
    // The caller keys 2 long after the first replica is gone and the second has taken over.
    const sipp = runSipp({
      scenario: 'uac-speaker.xml',
      target: stack.sites.bj.sipTarget,
      service: '500',
      caller: '13700000001',
      keys: { dtmf_pcap: shippedDtmfPcap('2') },
      values: { digits_after_ms: 12_000 },
      timeoutMs: 60_000,
    });
    const call: CallRef = await started;
    const about = (m: object) => (m as { call?: CallRef; contact?: { contactId: string } }).contact?.contactId === call.callId || (m as { call?: CallRef }).call?.callId === call.callId;
    await stack.acdEvents.next('contact_queued', about);
    const ownerOf = async () => (await stack.ivrPool.query<{ owner: string; stage: string }>('SELECT owner, stage FROM session WHERE call_id = $1', [call.callId])).rows[0];
    const firstOwner = (await ownerOf())?.owner;
    await first.kill();

    const second = await stack.ivrProcess(TIMING);
    await second.start();
    const taken = await waitFor(async () => {
      const session = await ownerOf();
      return session && session.owner !== firstOwner ? session : undefined;
    });
    expect(taken.stage).toBe('waiting');

    expect(await stack.ivrEvents.next<{ choice: QueueChoice }>('queue_choice_made', about)).toMatchObject({ choice: QueueChoice.CALLBACK });
    await stack.acdEvents.next('callback_requested', (m) => (m as { callback?: { callbackId: string } }).callback?.callbackId === `ivr-${call.callId}`);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    // The next test's calls must go to the replica it starts.
    await second.kill();
  });

  /**
   * A caller of `MENUS` on a replica started with `env`, who keys 1 at once and 5 ten seconds
   * later; resolves once the replica has reached the second menu (its checkpoint says so).
   */
  async function callerAtSecondMenu(caller: string, env: Record<string, string>) {
    const replica = await stack.ivrProcess(env);
    await replica.start();
    const started = stack.observer.nextCall();
    const digits = join(await mkdtemp(join(tmpdir(), 'lianluo-dtmf-')), 'one-then-five.pcap');
    await writeDtmfPcap('15', digits, { gapMs: 10_000 });
    const sipp = runSipp({
      scenario: 'uac-speaker.xml',
      target: stack.sites.bj.sipTarget,
      service: '501',
      caller,
      keys: { dtmf_pcap: digits },
      values: { digits_after_ms: 1_000 },
      timeoutMs: 60_000,
    });
    const call: CallRef = await started;
    const about = (m: object) => (m as { call?: CallRef }).call?.callId === call.callId;
    const session = async () =>
      (
        await stack.ivrPool.query<{ owner: string; ended_at: Date | null; checkpoint: { step: string } | null }>(
          'SELECT owner, ended_at, checkpoint FROM session WHERE call_id = $1',
          [call.callId],
        )
      ).rows[0];
    const owner = (await waitFor(async () => ((await session())?.checkpoint?.step === 'second' ? session() : undefined)))!.owner;
    /** Starts the replica that takes the session over; resolves once it has. */
    const takenOver = async () => {
      const next = await stack.ivrProcess(TIMING);
      await next.start();
      await waitFor(async () => ((await session())?.owner !== owner ? true : undefined));
      return next;
    };
    const keyedAtSecond = () => stack.ivrEvents.next<{ key: string }>('menu_chosen', (m) => about(m) && (m as { step?: string }).step === 'second');
    return { replica, sipp, about, session, takenOver, keyedAtSecond };
  }

  it('goes on with a caller in the flow from the step where the replica died, in the call\'s trace', async () => {
    const { replica, sipp, about, takenOver, keyedAtSecond } = await callerAtSecondMenu('13700000002', TIMING);
    await replica.kill();
    const second = await takenOver();

    expect(await keyedAtSecond()).toMatchObject({ key: '5' });
    await stack.ivrEvents.next('flow_ended', about);
    const events = stack.ivrEvents.events.filter((event) => about(event.message));
    // The first menu was not played to the caller again: it was chosen once, before the takeover.
    expect(events.filter((event) => event.name === 'menu_chosen').map((event) => String(event.message.step))).toEqual(['first', 'second']);
    // Every ivr event of the call, before and after the takeover, in the call's one trace.
    expect(events[0]?.traceId).toBeDefined();
    expect(new Set(events.map((event) => event.traceId)).size).toBe(1);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    await second.kill();
  });

  it('hands a caller still in the flow over when its replica is stopped for an upgrade, instead of dropping it', async () => {
    const { replica, sipp, session, takenOver, keyedAtSecond } = await callerAtSecondMenu('13700000003', { ...TIMING, SHUTDOWN_GRACE_MS: '300' });
    // SIGTERM: the grace passes with the caller still at the menu.
    await replica.stop();
    expect((await session())?.ended_at).toBeNull();
    const second = await takenOver();

    expect(await keyedAtSecond()).toMatchObject({ key: '5' });
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    await second.kill();
  });

  async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the session was not taken over');
  }
});
