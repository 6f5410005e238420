import fc from 'fast-check';
import { CallerLeft } from '@lianluo/call-client';
import { type SessionStore, type Take, type TakeRule, type VoicemailCall } from './voicemail-call';
import { MAX_TAKES, type VoicemailScript, VoicemailFlow } from './voicemail-flow';
import { CORE_SOUND_PROMPTS } from './voicemail-prompts';

/** What the caller does: how long each take lasts, which key they press at each question, and where they hang up. */
interface CallerBehaviour {
  readonly takesMs: readonly number[];
  /** One entry per collectKey; undefined is silence. Runs out into silence. */
  readonly keys?: readonly (string | undefined)[];
  /** Hangs up when the flow reaches this step (e.g. `record#2`, `collect#1`). */
  readonly hangsUpAt?: string;
}

/** A scripted caller and media gateway: every step lands in the transcript. */
class ScriptedCall implements VoicemailCall {
  private readonly counts = new Map<string, number>();
  private gone = false;
  private takes = 0;
  private keys = 0;

  constructor(
    private readonly caller: CallerBehaviour,
    readonly transcript: string[],
  ) {}

  private step(name: string, detail = ''): void {
    const count = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, count);
    if (this.gone || this.caller.hangsUpAt === `${name}#${count}`) {
      this.gone = true;
      throw new CallerLeft();
    }
    this.transcript.push(detail ? `${name} ${detail}` : name);
  }

  async answer() {
    this.step('answer');
  }
  async setLanguage(language: string) {
    this.step('language', language);
  }
  async play(media: readonly string[], interruptible: boolean) {
    this.step('play', `${media.join(',')}${interruptible ? ' (interruptible)' : ''}`);
  }
  async discardKeys() {
    this.step('discard-keys');
  }
  async collectKey(_timeoutMs: number) {
    this.step('collect');
    return this.caller.keys?.[this.keys++];
  }
  async startTake(rule: TakeRule) {
    this.step('record', `max ${rule.maxMessageMs} silence ${rule.silenceStopMs}`);
    return `rec-${++this.takes}`;
  }
  async takeFinished(recordingId: string): Promise<Take> {
    this.step('recorded', recordingId);
    const durationMs = this.caller.takesMs[this.takes - 1] ?? 0;
    return { recordingId, location: `file:///r/${recordingId}`, contentType: 'audio/wav', durationMs, sizeBytes: durationMs * 16 };
  }
  async hangUp() {
    this.step('hang-up');
  }
}

/** The store's side, written into the same transcript. */
class TranscribedStore implements SessionStore {
  constructor(readonly transcript: string[]) {}

  async takeStarted(recordingId: string) {
    this.transcript.push(`store take-started ${recordingId}`);
  }
  async takeFinished(take: Take) {
    this.transcript.push(`store take-finished ${take.recordingId}`);
  }
  async keep(take: Take) {
    this.transcript.push(`store keep ${take.recordingId}`);
  }
  async discard(take: Take) {
    this.transcript.push(`store discard ${take.recordingId}`);
  }

  get kept(): string[] {
    return this.transcript.filter((line) => line.startsWith('store keep')).map((line) => line.split(' ')[2] as string);
  }
}

function script(overrides: Partial<VoicemailScript> = {}): VoicemailScript {
  return {
    greeting: ['sound:sales-greeting'],
    language: '',
    take: { maxMessageMs: 120_000, silenceStopMs: 5_000 },
    minMessageMs: 1_000,
    review: false,
    listen: (take) => [`sound:http://vm/takes/${take.recordingId}.wav`],
    prompts: CORE_SOUND_PROMPTS,
    ...overrides,
  };
}

async function run(caller: CallerBehaviour, overrides: Partial<VoicemailScript> = {}) {
  const transcript: string[] = [];
  const store = new TranscribedStore(transcript);
  const outcome = await new VoicemailFlow(new ScriptedCall(caller, transcript), store, script(overrides)).run();
  return { outcome, store, transcript };
}

const SAVED_AND_GOODBYE = 'play sound:vm-msgsaved,sound:vm-goodbye';
const FULL_MENU = 'play sound:to-listen-to-it,sound:vm-press,digits:1,sound:to-rerecord-it,sound:vm-press,digits:2,sound:if-correct-press,digits:3 (interruptible)';

describe('voicemail flow', () => {
  it('greets, records after the beep, keeps the message, thanks the caller and hangs up', async () => {
    const { outcome, transcript } = await run({ takesMs: [3_000] });
    expect(outcome).toBe('left');
    expect(transcript).toEqual([
      'answer',
      'play sound:sales-greeting (interruptible)',
      'record max 120000 silence 5000',
      'store take-started rec-1',
      'recorded rec-1',
      'store take-finished rec-1',
      'store keep rec-1',
      SAVED_AND_GOODBYE,
      'hang-up',
    ]);
  });

  it('switches the prompts to the language the call asked for before greeting', async () => {
    const { transcript } = await run({ takesMs: [3_000] }, { language: 'zh' });
    expect(transcript.slice(0, 3)).toEqual(['answer', 'language zh', 'play sound:sales-greeting (interruptible)']);
  });

  it('keeps the take when the caller confirms it in review, after dropping the # that ended it', async () => {
    const { outcome, transcript } = await run({ takesMs: [3_000], keys: ['3'] }, { review: true });
    expect(outcome).toBe('left');
    expect(transcript.slice(transcript.indexOf('store take-finished rec-1'))).toEqual([
      'store take-finished rec-1',
      'discard-keys',
      FULL_MENU,
      'collect',
      'store keep rec-1',
      SAVED_AND_GOODBYE,
      'hang-up',
    ]);
  });

  it('plays the take back on 1 and asks again', async () => {
    const { transcript, store } = await run({ takesMs: [3_000], keys: ['1', '3'] }, { review: true });
    const fromMenu = transcript.slice(transcript.indexOf(FULL_MENU));
    expect(fromMenu.slice(0, 5)).toEqual([FULL_MENU, 'collect', 'play sound:http://vm/takes/rec-1.wav (interruptible)', FULL_MENU, 'collect']);
    expect(store.kept).toEqual(['rec-1']);
  });

  it('records again on 2, discarding the first take, and keeps the second', async () => {
    const { transcript, store } = await run({ takesMs: [3_000, 4_000], keys: ['2', '3'] }, { review: true });
    expect(transcript).toContain('store discard rec-1');
    expect(transcript.filter((line) => line.startsWith('record '))).toHaveLength(2);
    expect(store.kept).toEqual(['rec-2']);
  });

  it('asks for another take when one is too short, and keeps the next', async () => {
    const { transcript, store } = await run({ takesMs: [400, 3_000] });
    expect(transcript.slice(transcript.indexOf('store take-finished rec-1'), transcript.indexOf('store take-finished rec-1') + 4)).toEqual([
      'store take-finished rec-1',
      'store discard rec-1',
      'play sound:vm-tooshort,sound:please-try-again',
      'record max 120000 silence 5000',
    ]);
    expect(store.kept).toEqual(['rec-2']);
  });

  it('says goodbye and hangs up without a message after three takes that are all too short', async () => {
    const { outcome, transcript, store } = await run({ takesMs: [100, 200, 300] });
    expect(outcome).toBe('nothing_kept');
    expect(transcript.filter((line) => line.startsWith('record '))).toHaveLength(MAX_TAKES);
    expect(transcript.filter((line) => line.startsWith('play sound:vm-tooshort'))).toHaveLength(MAX_TAKES - 1);
    expect(store.kept).toEqual([]);
    expect(transcript.slice(-2)).toEqual(['play sound:vm-goodbye', 'hang-up']);
  });

  it('counts the message as left when the caller hangs up during the thanks', async () => {
    const { outcome, store, transcript } = await run({ takesMs: [3_000], hangsUpAt: 'play#2' });
    expect(outcome).toBe('left');
    expect(store.kept).toEqual(['rec-1']);
    expect(transcript).not.toContain('hang-up');
  });

  it('stops quietly when the caller hangs up while recording, leaving the session to the hang-up event', async () => {
    const { outcome, transcript, store } = await run({ takesMs: [3_000], hangsUpAt: 'recorded#1' });
    expect(outcome).toBe('caller_left');
    expect(store.kept).toEqual([]);
    expect(transcript).not.toContain('hang-up');
    expect(transcript[transcript.length - 1]).toBe('store take-started rec-1');
  });

  it('keeps the take after three review prompts without a usable answer, saying "invalid" for wrong keys', async () => {
    const { transcript, store } = await run({ takesMs: [3_000], keys: ['7', undefined, '#'] }, { review: true });
    expect(transcript.filter((line) => line === FULL_MENU)).toHaveLength(3);
    expect(transcript.filter((line) => line === 'play sound:pm-invalid-option')).toHaveLength(2);
    expect(store.kept).toEqual(['rec-1']);
  });

  it('does not offer re-recording on the last take allowed, and does not obey 2 there', async () => {
    const { transcript, store } = await run({ takesMs: [3_000, 3_000, 3_000], keys: ['2', '2', '2', '3'] }, { review: true });
    const lastMenu = 'play sound:to-listen-to-it,sound:vm-press,digits:1,sound:if-correct-press,digits:3 (interruptible)';
    expect(transcript).toContain(lastMenu);
    expect(transcript).toContain('play sound:pm-invalid-option');
    expect(store.kept).toEqual(['rec-3']);
  });

  it('leaves listening out of the menu when Asterisk cannot fetch takes, and treats 1 as a wrong key', async () => {
    const { transcript, store } = await run({ takesMs: [3_000], keys: ['1', '3'] }, { review: true, listen: undefined });
    const menu = 'play sound:to-rerecord-it,sound:vm-press,digits:2,sound:if-correct-press,digits:3 (interruptible)';
    expect(transcript.filter((line) => line === menu)).toHaveLength(2);
    expect(transcript).toContain('play sound:pm-invalid-option');
    expect(store.kept).toEqual(['rec-1']);
  });

  it('whatever the caller does, keeps at most one take, never a short or replaced one, and hangs up unless the caller did', async () => {
    const step = fc.constantFrom('answer#1', 'play#1', 'play#2', 'record#1', 'recorded#1', 'collect#1', 'record#2', 'collect#3', 'hang-up#1');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6_000 }), { minLength: MAX_TAKES, maxLength: MAX_TAKES }),
        fc.array(fc.option(fc.constantFrom('1', '2', '3', '9', '#'), { nil: undefined }), { maxLength: 12 }),
        fc.option(step, { nil: undefined }),
        fc.boolean(),
        async (takesMs, keys, hangsUpAt, review) => {
          const { outcome, transcript, store } = await run({ takesMs, keys, hangsUpAt }, { review });
          const discarded = transcript.filter((line) => line.startsWith('store discard')).map((line) => line.split(' ')[2]);
          expect(store.kept.length).toBeLessThanOrEqual(1);
          for (const id of store.kept) {
            expect(discarded).not.toContain(id);
            expect(takesMs[Number(id.split('-')[1]) - 1]).toBeGreaterThanOrEqual(1_000);
            // The kept take is the last one recorded.
            expect(transcript.filter((line) => line.startsWith('recorded ')).pop()).toBe(`recorded ${id}`);
          }
          expect(outcome === 'left').toBe(store.kept.length === 1);
          const callerLeft = hangsUpAt !== undefined && !transcript.includes('hang-up');
          if (!callerLeft) expect(transcript[transcript.length - 1]).toBe('hang-up');
          if (outcome === 'caller_left') expect(callerLeft).toBe(true);
        },
      ),
    );
  });
});
