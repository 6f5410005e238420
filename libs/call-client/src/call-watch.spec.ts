import { create } from '@bufbuild/protobuf';
import { CallEvents, PlaybackEnd } from '@lianluo/contracts';
import { ManualClock } from './clock';
import { CallWatch, type WatchedCallEvent } from './call-watch';
import { CallFailed, CallerLeft } from './call-errors';

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
    await expect(waiting).rejects.toEqual(new CallFailed('recording r1', 'no event within 60000 ms'));
  });
  it('polls only the events after a mark, and answers nothing when none comes in time', async () => {
    const clock = new ManualClock();
    const watch = new CallWatch(clock);
    watch.feed(finished('p1'));
    const from = watch.mark();
    const none = watch.poll(playback('p1'), 1_000, from);
    clock.advance(1_000);
    await expect(none).resolves.toBeUndefined();
    const later = watch.poll(playback('p1'), 1_000, from);
    watch.feed(finished('p1'));
    await expect(later).resolves.toMatchObject({ playbackId: 'p1' });
    await expect(watch.poll(playback('p1'), 1_000, 0)).resolves.toMatchObject({ playbackId: 'p1' });
  });
});
