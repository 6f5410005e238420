/** Injection token of the RecordingStore the gateway puts finished recordings into. */
export const RECORDING_STORE = Symbol('RECORDING_STORE');
