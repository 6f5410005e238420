/** Injection token of the RecordingStore the media gateway writes takes into, read back here. */
export const RECORDING_STORE = Symbol('RECORDING_STORE');
