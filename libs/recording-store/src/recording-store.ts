/** A finished recording on its way into the store. */
export interface RecordingToStore {
  /** Stable id, `[A-Za-z0-9._-]{1,128}` and not only dots. */
  readonly recordingId: string;
  /** `[A-Za-z0-9_-]{1,128}`. */
  readonly tenant: string;
  /** e.g. `audio/wav`, `audio/x-gsm`. */
  readonly contentType: string;
  readonly body: Buffer | Uint8Array | NodeJS.ReadableStream;
  /** e.g. callId, site, durationMs: string keys `[A-Za-z0-9_.-]{1,64}`, at most 1 KiB as JSON. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A recording as the store holds it. */
export interface StoredRecording {
  readonly recordingId: string;
  readonly tenant: string;
  /** Store-specific URI: `file:///…` or `s3://bucket/key`. */
  readonly location: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Durable recordings of one deployment. Every method validates `tenant` and
 * `recordingId` first and throws `InvalidRecordingField` for a bad one.
 */
export interface RecordingStore {
  /**
   * Stores the recording. Idempotent: the same id again replaces the earlier recording
   * atomically; a reader sees the old one or the new one, never a part of either.
   */
  put(recording: RecordingToStore): Promise<StoredRecording>;
  /** The stored recording's description, or undefined when there is none. */
  head(tenant: string, recordingId: string): Promise<StoredRecording | undefined>;
  /** @throws RecordingNotFound */
  open(tenant: string, recordingId: string): Promise<{ recording: StoredRecording; body: NodeJS.ReadableStream }>;
  /** Removes the recording; no error when it is absent. */
  delete(tenant: string, recordingId: string): Promise<void>;
}
