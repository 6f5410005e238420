import { AbandonStage } from '@lianluo/contracts';
import { type Take } from './voicemail-call';

/** What a session knows about itself when its caller has gone. */
export interface SessionSnapshot {
  readonly outcome: 'left' | 'abandoned' | undefined;
  /** The take the caller was on; undefined before the first beep. */
  readonly recordingId: string | undefined;
  readonly minMessageMs: number;
  /** Every take of the session that has finished (call.recording_finished came). */
  readonly takes: readonly Take[];
}

export type SessionEnding =
  | { readonly kind: 'settled' }
  | { readonly kind: 'wait-for-take' }
  | { readonly kind: 'keep'; readonly take: Take }
  | { readonly kind: 'abandon'; readonly stage: AbandonStage; readonly recordedMs: number };

/**
 * How a session ends once the caller has hung up. The take they were on is their message
 * when it is long enough (as in Asterisk's app_voicemail, hanging up after speaking keeps
 * it, reviewed or not); a take still being stored is waited for; anything else is an
 * abandonment, at the greeting when no beep was ever reached.
 */
export function endingOf(session: SessionSnapshot): SessionEnding {
  if (session.outcome) return { kind: 'settled' };
  const recordedMs = Math.max(0, ...session.takes.map((take) => take.durationMs));
  if (session.recordingId === undefined) {
    return { kind: 'abandon', stage: session.takes.length > 0 ? AbandonStage.RECORDING : AbandonStage.GREETING, recordedMs };
  }
  const current = session.takes.find((take) => take.recordingId === session.recordingId);
  if (!current) return { kind: 'wait-for-take' };
  if (current.durationMs >= session.minMessageMs) return { kind: 'keep', take: current };
  return { kind: 'abandon', stage: AbandonStage.RECORDING, recordedMs };
}
