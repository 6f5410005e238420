import { create } from '@bufbuild/protobuf';
import { CallEvents, PlaybackEnd } from '@lianluo/contracts';
import { type Clock } from '../clock';
import { CallWatch, type WatchedCallEvent } from './call-watch';
import { CallerLeft, VoicemailCallFailed } from './sessions.errors';

/** Timers that fire only when the test moves time on. */
class ManualClock implements Clock {
  private nowMs = 0;
  private timers: { at: number; callback: () => void }[] = [];
  now = () => this.nowMs;
  setTimeout = (callback: () => void, ms: number) => {
    const timer = { at: this.nowMs + ms, callback };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t !== handle);
  };
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.timers.filter((t) => t.at <= this.nowMs);
    this.timers = this.timers.filter((t) => t.at > this.nowMs);
    due.forEach((t) => t.callback());
  }
  get pending(): number {
    return this.timers.length;
  }
}

const call = { tenant: 'acme', site: 'bj', callId: 'bj-1.1' };
const finished = (playbackId: string): WatchedCallEvent => ({
  name: 'playback_finished',
  message: create(CallEvents.playbackFinished.schema, { eventId: playbackId, call, playbackId, end: PlaybackEnd.COMPLETED }),
});
const hungUp: WatchedCallEvent = { name: 'hungup', message: create(CallEvents.hungUp.schema, { eventId: 'h', call, cause: 16 }) };
const playback = (id: string) => (e: WatchedCallEvent) => (e.name === 'playback_finished' && e.message.playbackId === id ? e.message : undefined);

describe('the events a flow waits for', () => {
  it('keeps an event that comes before its command’s reply, so the wait finds it', async () => {
    const watch = new CallWatch(new ManualClock());
    watch.feed(finished('p1'));
    await expect(watch.next('playback p1', playback('p1'), 1_000)).resolves.toMatchObject({ playbackId: 'p1' });
  });

  it('hands a later event to the wait that matches it, and clears its timer', async () => {
    const clock = new ManualClock();
    const watch = new CallWatch(clock);
    const waiting = watch.next('playback p2', playback('p2'), 1_000);
    watch.feed(finished('p1'));
    watch.feed(finished('p2'));
    await expect(waiting).resolves.toMatchObject({ playbackId: 'p2' });
    expect(clock.pending).toBe(0);
  });

  it('ends every wait, now and later, with CallerLeft once the call hangs up', async () => {
    const watch = new CallWatch(new ManualClock());
    const waiting = watch.next('playback p1', playback('p1'), 1_000);
    watch.feed(hungUp);
    await expect(waiting).rejects.toBeInstanceOf(CallerLeft);
    await expect(watch.next('playback p2', playback('p2'), 1_000)).rejects.toBeInstanceOf(CallerLeft);
  });

  it('gives up on an event that never comes when its time is up, naming what it waited for', async () => {
    const clock = new ManualClock();
    const watch = new CallWatch(clock);
    const waiting = watch.next('recording r1', () => undefined, 60_000);
    clock.advance(59_999);
    watch.feed(finished('p1'));
    clock.advance(1);
    await expect(waiting).rejects.toEqual(new VoicemailCallFailed('recording r1', 'no event within 60000 ms'));
  });
});
