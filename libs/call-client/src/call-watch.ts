import { type CallBridged, type ContactOverflowed, type CallDtmfReceived, type CallHungUp, type CallPlaybackFinished, type CallRecordingFinished } from '@lianluo/contracts';
import { CallFailed, CallerLeft } from './call-errors';
import { type Clock } from './clock';

/** The call events a flow waits for. */
export type WatchedCallEvent =
  | { readonly name: 'playback_finished'; readonly message: CallPlaybackFinished }
  | { readonly name: 'recording_finished'; readonly message: CallRecordingFinished }
  | { readonly name: 'dtmf'; readonly message: CallDtmfReceived }
  | { readonly name: 'bridged'; readonly message: CallBridged }
  | { readonly name: 'contact_overflowed'; readonly message: ContactOverflowed }
  | { readonly name: 'hungup'; readonly message: CallHungUp };

interface Waiter {
  readonly pick: (event: WatchedCallEvent) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: unknown;
}

/**
 * The events of one call while a flow drives it. Events are kept from the moment the watch
 * opens, so one that arrives before its command's reply is not missed. Once the call has
 * hung up (or the watch is closed), every wait ends with that reason.
 */
export class CallWatch {
  private readonly seen: WatchedCallEvent[] = [];
  private waiters: Waiter[] = [];
  private ended: Error | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onClose: () => void = () => undefined,
  ) {}

  feed(event: WatchedCallEvent): void {
    if (this.ended) return;
    if (event.name === 'hungup') {
      this.end(new CallerLeft());
      return;
    }
    this.seen.push(event);
    this.waiters = this.waiters.filter((waiter) => {
      const value = waiter.pick(event);
      if (value === undefined) return true;
      this.clock.clearTimeout(waiter.timer);
      waiter.resolve(value);
      return false;
    });
  }

  /** The first event (seen or still to come) `pick` returns a value for; fails after `timeoutMs`. */
  next<T>(what: string, pick: (event: WatchedCallEvent) => T | undefined, timeoutMs: number): Promise<T> {
    return this.wait(pick, timeoutMs, 0, (reject) => reject(new CallFailed(what, `no event within ${timeoutMs} ms`)));
  }

  /** Where the events seen so far end: `poll` from here looks only at events that come after. */
  mark(): number {
    return this.seen.length;
  }

  /** Like `next` from the `from` mark on, but resolves undefined when nothing comes within `timeoutMs`. */
  poll<T>(pick: (event: WatchedCallEvent) => T | undefined, timeoutMs: number, from: number): Promise<T | undefined> {
    return this.wait(pick, timeoutMs, from, (_reject, resolve) => resolve(undefined));
  }

  private wait<T>(
    pick: (event: WatchedCallEvent) => T | undefined,
    timeoutMs: number,
    from: number,
    onTimeout: (reject: (error: Error) => void, resolve: (value: undefined) => void) => void,
  ): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    for (const event of this.seen.slice(from)) {
      const value = pick(event);
      if (value !== undefined) return Promise.resolve(value);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        pick,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: this.clock.setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          onTimeout(reject, resolve as (value: undefined) => void);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Stops watching: waits in progress fail, and the call's events are no longer kept. */
  close(reason: Error = new CallFailed('watch', 'closed')): void {
    this.end(reason);
    this.onClose();
  }

  private end(reason: Error): void {
    if (this.ended) return;
    this.ended = reason;
    this.seen.length = 0;
    for (const waiter of this.waiters) {
      this.clock.clearTimeout(waiter.timer);
      waiter.reject(reason);
    }
    this.waiters = [];
  }
}
