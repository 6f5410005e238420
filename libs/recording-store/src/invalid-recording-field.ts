export type RecordingField = 'tenant' | 'recordingId' | 'contentType' | 'metadata';

/** A caller passed a value the store refuses; names the field and the reason. */
export class InvalidRecordingField extends Error {
  readonly kind = 'recording-field-invalid' as const;

  constructor(
    readonly field: RecordingField,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidRecordingField';
  }
}
