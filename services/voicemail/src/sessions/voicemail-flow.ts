import { CallerLeft } from '@lianluo/call-client';
import { type SessionStore, type Take, type TakeRule, type VoicemailCall } from './voicemail-call';
import { type VoicemailPrompts } from './voicemail-prompts';

/** Everything one session's flow needs to know, settled before the call is answered. */
export interface VoicemailScript {
  readonly greeting: readonly string[];
  /** Language of the prompts; empty for the call's own. */
  readonly language: string;
  readonly take: TakeRule;
  /** Shorter takes are no message: the caller is asked to try again. */
  readonly minMessageMs: number;
  /** Offer listen (1), re-record (2) and confirm (3) before keeping the message. */
  readonly review: boolean;
  /** How to play a take back to the caller; undefined when Asterisk cannot fetch takes. */
  readonly listen: ((take: Take) => readonly string[]) | undefined;
  readonly prompts: VoicemailPrompts;
}

/** How a flow ended: a message kept, the caller leaving without one, or no usable take at all. */
export type FlowOutcome = 'left' | 'caller_left' | 'nothing_kept';

/** Takes a caller gets (too short, re-recorded) before the flow stops asking. */
export const MAX_TAKES = 3;
/** Review prompts without a usable answer before the take is kept as it is. */
export const MAX_REVIEW_MISSES = 3;
/** Times a caller may listen to one take. */
export const MAX_LISTENS = 3;
export const REVIEW_KEY_TIMEOUT_MS = 6_000;

const REVIEW_KEYS = { listen: '1', rerecord: '2', confirm: '3' } as const;

/**
 * One caller leaving a message (VM-1): greeting, beep, record until # or silence or the
 * length limit, optional review, thanks, hang-up. Plain logic over a VoicemailCall and a
 * SessionStore, so every path is tested without Asterisk or a database.
 *
 * When the caller hangs up, the flow just stops: the call's hang-up event settles the
 * session from what the store holds (keeps a finished take, or records an abandonment).
 */
export class VoicemailFlow {
  private kept = false;

  constructor(
    private readonly call: VoicemailCall,
    private readonly store: SessionStore,
    private readonly script: VoicemailScript,
  ) {}

  async run(): Promise<FlowOutcome> {
    const { prompts } = this.script;
    try {
      await this.call.answer();
      if (this.script.language) await this.call.setLanguage(this.script.language);
      await this.call.play(this.script.greeting, true);
      await this.recordUntilKept();
      await this.call.play(this.kept ? [...prompts.saved, ...prompts.goodbye] : prompts.goodbye, false);
      await this.call.hangUp();
      return this.kept ? 'left' : 'nothing_kept';
    } catch (error) {
      // Hanging up during the thanks is the usual way to end: the message is kept all the same.
      if (error instanceof CallerLeft) return this.kept ? 'left' : 'caller_left';
      throw error;
    }
  }

  private async recordUntilKept(): Promise<void> {
    for (let takes = 1; takes <= MAX_TAKES; takes++) {
      const lastTake = takes === MAX_TAKES;
      const take = await this.recordTake();
      if (take.durationMs < this.script.minMessageMs) {
        await this.store.discard(take);
        if (!lastTake) await this.call.play(this.script.prompts.tooShort, false);
        continue;
      }
      if (this.script.review && (await this.review(take, !lastTake)) === 'rerecord') {
        await this.store.discard(take);
        continue;
      }
      await this.store.keep(take);
      this.kept = true;
      return;
    }
  }

  private async recordTake(): Promise<Take> {
    const recordingId = await this.call.startTake(this.script.take);
    await this.store.takeStarted(recordingId);
    const take = await this.call.takeFinished(recordingId, this.script.take);
    await this.store.takeFinished(take);
    return take;
  }

  /**
   * The review menu. Keys that ended the take or came earlier are dropped first; a key
   * pressed during a prompt or a playback stops it and counts as the answer. Silence or
   * wrong keys three times keep the take, as a caller who said something meant it.
   */
  private async review(take: Take, mayRerecord: boolean): Promise<'confirm' | 'rerecord'> {
    const { prompts } = this.script;
    const listen = this.script.listen?.(take);
    const menu = prompts.review({ listen: listen !== undefined, rerecord: mayRerecord });
    await this.call.discardKeys();
    let misses = 0;
    let listens = 0;
    while (misses < MAX_REVIEW_MISSES) {
      await this.call.play(menu, true);
      const key = await this.call.collectKey(REVIEW_KEY_TIMEOUT_MS);
      if (key === REVIEW_KEYS.confirm) return 'confirm';
      if (key === REVIEW_KEYS.rerecord && mayRerecord) return 'rerecord';
      if (key === REVIEW_KEYS.listen && listen && listens < MAX_LISTENS) {
        listens++;
        await this.call.play(listen, true);
        continue;
      }
      misses++;
      if (key !== undefined) await this.call.play(prompts.invalid, false);
    }
    return 'confirm';
  }
}
