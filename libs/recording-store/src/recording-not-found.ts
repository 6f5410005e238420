/** `open` was asked for a recording the store does not hold. */
export class RecordingNotFound extends Error {
  readonly kind = 'recording-not-found' as const;

  constructor(
    readonly tenant: string,
    readonly recordingId: string,
  ) {
    super(`recording ${recordingId} of tenant ${tenant} not found`);
    this.name = 'RecordingNotFound';
  }
}
