import { CollectEnd } from '@lianluo/contracts';
import { type Clock } from './clock';

export interface CollectRule {
  readonly maxDigits: number;
  /** Ends collection without being part of the digits; empty for none. */
  readonly terminator: string;
  readonly firstDigitTimeoutMs: number;
  readonly interDigitTimeoutMs: number;
}

export interface Collected {
  readonly digits: string;
  readonly end: CollectEnd;
}

/**
 * Collects DTMF digits for one request. Keys pressed before the request (type-ahead,
 * e.g. during a prompt) are fed first; the first-digit timer runs until a key arrives,
 * then the inter-digit timer restarts on every key.
 */
export class DigitCollector {
  private digits = '';
  private timer: unknown;
  private finished: Collected | undefined;
  private resolve!: (result: Collected) => void;
  readonly result: Promise<Collected>;

  constructor(
    private readonly rule: CollectRule,
    private readonly clock: Clock,
  ) {
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.arm(rule.firstDigitTimeoutMs, CollectEnd.FIRST_DIGIT_TIMEOUT);
  }

  /** Feeds one key; returns how many keys were used (0 once collection has ended). */
  feed(digit: string): number {
    if (this.finished) return 0;
    if (this.rule.terminator && digit === this.rule.terminator) {
      this.finish(CollectEnd.TERMINATOR);
      return 1;
    }
    this.digits += digit;
    if (this.digits.length >= this.rule.maxDigits) this.finish(CollectEnd.MAX_DIGITS);
    else this.arm(this.rule.interDigitTimeoutMs, CollectEnd.INTER_DIGIT_TIMEOUT);
    return 1;
  }

  /** The call ended: return what was collected so far. */
  hangUp(): void {
    this.finish(CollectEnd.HUNG_UP);
  }

  get done(): boolean {
    return this.finished !== undefined;
  }

  private arm(ms: number, end: CollectEnd): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.finish(end), ms);
  }

  private finish(end: CollectEnd): void {
    if (this.finished) return;
    this.clock.clearTimeout(this.timer);
    this.finished = { digits: this.digits, end };
    this.resolve(this.finished);
  }
}
