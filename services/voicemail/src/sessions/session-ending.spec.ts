import { AbandonStage } from '@lianluo/contracts';
import { type SessionSnapshot, endingOf } from './session-ending';
import { type Take } from './voicemail-call';

function take(recordingId: string, durationMs: number): Take {
  return { recordingId, location: `file:///r/${recordingId}`, contentType: 'audio/wav', durationMs, sizeBytes: durationMs * 16 };
}

function session(overrides: Partial<SessionSnapshot>): SessionSnapshot {
  return { outcome: undefined, recordingId: undefined, minMessageMs: 1_000, takes: [], ...overrides };
}

describe('how a session ends when the caller hangs up', () => {
  it('keeps the take the caller was on when it is long enough, reviewed or not', () => {
    const current = take('r2', 3_000);
    expect(endingOf(session({ recordingId: 'r2', takes: [take('r1', 5_000), current] }))).toEqual({ kind: 'keep', take: current });
  });

  it('waits for the take still being stored rather than deciding without it', () => {
    expect(endingOf(session({ recordingId: 'r1', takes: [] }))).toEqual({ kind: 'wait-for-take' });
  });

  it('records an abandonment at the greeting when no beep was reached', () => {
    expect(endingOf(session({}))).toEqual({ kind: 'abandon', stage: AbandonStage.GREETING, recordedMs: 0 });
  });

  it('records an abandonment while recording when the take is too short, with its length', () => {
    expect(endingOf(session({ recordingId: 'r1', takes: [take('r1', 600)] }))).toEqual({ kind: 'abandon', stage: AbandonStage.RECORDING, recordedMs: 600 });
  });

  it('changes nothing for a session that already ended', () => {
    expect(endingOf(session({ outcome: 'left', recordingId: 'r1', takes: [take('r1', 3_000)] }))).toEqual({ kind: 'settled' });
    expect(endingOf(session({ outcome: 'abandoned' }))).toEqual({ kind: 'settled' });
  });
});
