/** Where a service reads the time and sets its timers: injected, so waits are testable without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The Nest token a service provides its Clock under. */
export const CLOCK = Symbol('Clock');

/** Timers that fire only when a test moves time on. */
export class ManualClock implements Clock {
  private nowMs: number;
  private timers: { at: number; callback: () => void }[] = [];

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now = (): number => this.nowMs;

  setTimeout = (callback: () => void, ms: number): unknown => {
    const timer = { at: this.nowMs + ms, callback };
    this.timers.push(timer);
    return timer;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t !== handle);
  };

  /** Moves time on and fires, in order, the timers that have come due. */
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.timers.filter((t) => t.at <= this.nowMs).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.nowMs);
    due.forEach((t) => t.callback());
  }

  get pending(): number {
    return this.timers.length;
  }
}
