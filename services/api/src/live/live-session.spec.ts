import { type Principal } from '../auth/principal';
import { abilityOf } from '../policy/ability';
import { LiveCloseCode } from './live-close-code';
import { type LiveEvent } from './live-event';
import { type LiveFeedName } from './live-feed';
import { LiveSession, type LiveSocket } from './live-session';
import { LiveMetrics } from './live.metrics';

/** A socket that records what it was sent; `bufferedAmount` is what a test says. */
class RecordingSocket implements LiveSocket {
  bufferedAmount = 0;
  readonly sent: number[] = [];
  closedWith: number | undefined;
  send(data: Buffer): void {
    this.sent.push((JSON.parse(data.toString()) as { seq?: number }).seq ?? -1);
  }
  ping(_data: undefined, _mask: undefined, done: () => void): void {
    this.bufferedAmount = 0;
    done();
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

const event = (seq: number, agentId?: string, tenant = 'acme'): LiveEvent => ({ domain: 'acd', seq, tenant, agentId, frame: Buffer.from(JSON.stringify({ seq })) });
const limits = { maxBufferedBytes: 1000, maxHeldEvents: 3 };

function session(feed: LiveFeedName, principal: Principal) {
  const socket = new RecordingSocket();
  return { socket, live: new LiveSession(socket, principal, 'acme', feed, abilityOf(principal), limits, new LiveMetrics()) };
}
const agent = (agentId: string): Principal => ({ subject: agentId, tenant: 'acme', roles: ['agent'], agentId });
const supervisor: Principal = { subject: 's', tenant: 'acme', roles: ['supervisor'], agentId: undefined };

describe('a live session', () => {
  it("sends an agent's own feed only the events about that agent", () => {
    const { socket, live } = session('me', agent('li'));
    live.startAt('acd', 0);
    for (const e of [event(1, 'li'), event(2, 'wu'), event(3), event(4, 'li')]) live.offer(e);
    expect(socket.sent).toEqual([1, 4]);
  });

  it('sends a board every event of its tenant, and none of another even if one reached it', () => {
    const { socket, live } = session('board', supervisor);
    live.startAt('acd', 0);
    for (const e of [event(1, 'li'), event(2), event(3, 'wu', 'globex'), event(4, 'wu')]) live.offer(e);
    expect(socket.sent).toEqual([1, 2, 4]);
  });

  it('holds live events during a replay, then sends them after it, each sequence once and in order', async () => {
    const { socket, live } = session('board', supervisor);
    live.holdLive('acd');
    live.startAt('acd', 10);
    live.offer(event(13));
    live.offer(event(14));
    for (const seq of [9, 11, 12, 13]) await live.replay(event(seq));
    live.endReplay('acd');
    live.offer(event(14));
    live.offer(event(15));
    expect(socket.sent).toEqual([11, 12, 13, 14, 15]);
  });

  it('closes a client that leaves more than its limit unread, rather than skip an event it would never know it missed', () => {
    const { socket, live } = session('board', supervisor);
    live.startAt('acd', 0);
    live.offer(event(1));
    socket.bufferedAmount = 5000;
    live.offer(event(2));
    expect(socket.sent).toEqual([1]);
    expect(socket.closedWith).toBe(LiveCloseCode.TOO_SLOW);
  });

  it('closes a client whose held events outgrow the limit during a long replay', () => {
    const { socket, live } = session('board', supervisor);
    live.holdLive('acd');
    live.startAt('acd', 0);
    for (let seq = 1; seq <= 4; seq++) live.offer(event(seq));
    expect(socket.closedWith).toBe(LiveCloseCode.TOO_SLOW);
  });

  it('waits for the client to take what it was sent before it replays more', async () => {
    const { socket, live } = session('board', supervisor);
    live.holdLive('acd');
    live.startAt('acd', 0);
    socket.bufferedAmount = 800;
    await live.replay(event(1));
    expect(socket.bufferedAmount).toBe(0); // the ping came back: everything before it was written
    expect(socket.sent).toEqual([1]);
  });
});
