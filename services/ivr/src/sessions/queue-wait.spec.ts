import { CallerLeft, ManualClock } from '@lianluo/call-client';
import { type QueueStanding, QueueWait, type QueueWaitPort, type QueueWaitRule, type WaitEvent } from './queue-wait';

const prompts = {
  position: ['sound:pos'],
  positionAfter: ['sound:pos-after'],
  wait: ['sound:wait'],
  waitAfter: ['sound:wait-after'],
  voicemailOffer: ['sound:vm'],
  callbackOffer: ['sound:cb'],
};

/**
 * A waiting call scripted by time: `events` are what happens at a moment (a key, the
 * bridge...), `standings` what the acd reports from a moment on. Every wait the QueueWait
 * asks for moves the manual clock on to the next scripted event or to its timeout.
 */
class ScriptedWait implements QueueWaitPort {
  readonly log: string[] = [];
  events: { at: number; event: WaitEvent | 'hangup' }[] = [];
  standings: { from: number; standing: QueueStanding }[] = [{ from: 0, standing: { state: 'waiting', position: 3, expectedWaitMs: 150_000 } }];
  leaveAllowed = true;

  constructor(readonly clock: ManualClock) {}

  async musicOnHold(on: boolean) {
    this.log.push(`${this.clock.now()} moh ${on ? 'on' : 'off'}`);
  }
  /** An announcement takes 5 s of the clock; a scripted bridge or overflow within it cuts it short. */
  async announce(media: readonly string[]) {
    this.log.push(`${this.clock.now()} play ${media.join(' ')}`);
    const next = this.events[0];
    if (next && next.event !== 'hangup' && next.event.kind !== 'key' && next.at <= this.clock.now() + 5_000) {
      this.events.shift();
      this.clock.advance(next.at - this.clock.now());
      this.log.push(`${this.clock.now()} announcement cut short`);
      return next.event;
    }
    this.clock.advance(5_000);
    return undefined;
  }
  async nextEvent(timeoutMs: number): Promise<WaitEvent | undefined> {
    const next = this.events[0];
    if (next && next.at <= this.clock.now() + timeoutMs) {
      this.events.shift();
      this.clock.advance(next.at - this.clock.now());
      if (next.event === 'hangup') throw new CallerLeft();
      return next.event;
    }
    this.clock.advance(timeoutMs);
    return undefined;
  }
  async standing(): Promise<QueueStanding> {
    return [...this.standings].reverse().find((s) => s.from <= this.clock.now())!.standing;
  }
  async leaveForVoicemail() {
    this.log.push(`${this.clock.now()} leave for voicemail`);
    return this.leaveAllowed;
  }
  async leaveForCallback() {
    this.log.push(`${this.clock.now()} leave for callback`);
    return this.leaveAllowed;
  }
}

const rule: QueueWaitRule = { announceEveryMs: 30_000, offerEveryMs: 60_000, voicemailKey: '1', callbackKey: '2' };

describe('the wait in a queue', () => {
  it('plays music, announces position and expected wait in minutes, offers voicemail and callback, until an agent is bridged', async () => {
    const port = new ScriptedWait(new ManualClock());
    port.standings.push({ from: 50_000, standing: { state: 'waiting', position: 1, expectedWaitMs: undefined } });
    port.events.push({ at: 70_000, event: { kind: 'bridged' } });
    // Each announcement takes 5 s; the second comes with the offer, both due at 60 s.
    await expect(new QueueWait(port, rule, prompts, port.clock).run()).resolves.toBe('connected');
    expect(port.log).toEqual([
      '0 moh on',
      '30000 moh off',
      '30000 play sound:pos number:3 sound:pos-after sound:wait number:3 sound:wait-after',
      '35000 moh on',
      '60000 moh off',
      '60000 play sound:pos number:1 sound:pos-after sound:vm digits:1 sound:cb digits:2',
      '65000 moh on',
    ]);
  });

  it('honours the voicemail key at any moment, and ignores other keys', async () => {
    const port = new ScriptedWait(new ManualClock());
    port.events.push({ at: 5_000, event: { kind: 'key', key: '7' } }, { at: 12_000, event: { kind: 'key', key: '1' } });
    await expect(new QueueWait(port, rule, prompts, port.clock).run()).resolves.toBe('voicemail');
    expect(port.log).toEqual(['0 moh on', '12000 leave for voicemail', '12000 moh off']);
  });

  it('keeps waiting when the key comes too late: an agent already has the call', async () => {
    const port = new ScriptedWait(new ManualClock());
    port.leaveAllowed = false;
    port.events.push({ at: 1_000, event: { kind: 'key', key: '2' } }, { at: 2_000, event: { kind: 'bridged' } });
    await expect(new QueueWait(port, rule, prompts, port.clock).run()).resolves.toBe('connected');
    expect(port.log).toEqual(['0 moh on', '1000 leave for callback']);
  });

  it('says nothing while an agent rings, stops when acd sends the call on, and when the contact has left the queue', async () => {
    const ringing = new ScriptedWait(new ManualClock());
    ringing.standings = [{ from: 0, standing: { state: 'offered', position: 0, expectedWaitMs: undefined } }];
    ringing.events.push({ at: 45_000, event: { kind: 'overflowed' } });
    await expect(new QueueWait(ringing, rule, prompts, ringing.clock).run()).resolves.toBe('overflowed');
    expect(ringing.log).toEqual(['0 moh on', '45000 moh off']);

    const gone = new ScriptedWait(new ManualClock());
    gone.standings = [{ from: 0, standing: { state: 'done', position: 0, expectedWaitMs: undefined } }];
    await expect(new QueueWait(gone, rule, prompts, gone.clock).run()).resolves.toBe('left_queue');
  });

  it('offers nothing when the queue step names no keys, and ends with CallerLeft when the caller hangs up', async () => {
    const port = new ScriptedWait(new ManualClock());
    port.events.push({ at: 65_000, event: 'hangup' });
    const quiet = { announceEveryMs: 60_000, offerEveryMs: 20_000, voicemailKey: undefined, callbackKey: undefined };
    await expect(new QueueWait(port, quiet, prompts, port.clock).run()).rejects.toBeInstanceOf(CallerLeft);
    expect(port.log.filter((line) => line.includes('play'))).toEqual(['60000 play sound:pos number:3 sound:pos-after sound:wait number:3 sound:wait-after']);
  });

  it('stops an announcement when acd sends the call on, without starting the music again', async () => {
    const port = new ScriptedWait(new ManualClock());
    port.events.push({ at: 32_000, event: { kind: 'overflowed' } });
    await expect(new QueueWait(port, rule, prompts, port.clock).run()).resolves.toBe('overflowed');
    expect(port.log.slice(-2)).toEqual(['30000 play sound:pos number:3 sound:pos-after sound:wait number:3 sound:wait-after', '32000 announcement cut short']);
  });
});
