/** A finished recording of the caller, as the media gateway stored it. */
export interface Take {
  readonly recordingId: string;
  readonly location: string;
  readonly contentType: string;
  readonly durationMs: number;
  readonly sizeBytes: number;
}

export interface TakeRule {
  readonly maxMessageMs: number;
  readonly silenceStopMs: number;
}

/**
 * What the voicemail flow asks of the call. Every method rejects with CallerLeft once the
 * caller has hung up, and with VoicemailCallFailed when the call cannot be driven.
 */
export interface VoicemailCall {
  answer(): Promise<void>;
  setLanguage(language: string): Promise<void>;
  /** Resolves once the media has played, or was cut short by a key when interruptible. */
  play(media: readonly string[], interruptible: boolean): Promise<void>;
  /** Forgets keys pressed so far (e.g. the # that ended a take), so the next key is a fresh choice. */
  discardKeys(): Promise<void>;
  /** The next key, or undefined when none came in time. */
  collectKey(timeoutMs: number): Promise<string | undefined>;
  /** Beeps and starts recording the caller; resolves with the recording id. */
  startTake(rule: TakeRule): Promise<string>;
  /** Resolves once the recording has ended (# key, silence, max length) and is stored. */
  takeFinished(recordingId: string, rule: TakeRule): Promise<Take>;
  hangUp(): Promise<void>;
}

/** What the flow records of a session so that it outlives this process. */
export interface SessionStore {
  takeStarted(recordingId: string): Promise<void>;
  takeFinished(take: Take): Promise<void>;
  /** Keeps the take as the message: stored and handed on, once, whoever asks first. */
  keep(take: Take): Promise<void>;
  /** A take the caller replaced or that was too short. */
  discard(take: Take): Promise<void>;
}
