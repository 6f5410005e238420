import { InvalidRecordingField } from './invalid-recording-field';

const TENANT = /^[A-Za-z0-9_-]{1,128}$/;
const RECORDING_ID = /^[A-Za-z0-9._-]{1,128}$/;
const ONLY_DOTS = /^\.+$/;

/**
 * Checks the two parts that become a path or an object key. Neither may hold a slash,
 * and an id of only dots (`.`, `..`) is refused too: as a path segment or in an S3 URL
 * it would name a different place.
 *
 * @throws InvalidRecordingField naming `tenant` or `recordingId`.
 */
export function assertRecordingAddress(tenant: string, recordingId: string): void {
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) {
    throw new InvalidRecordingField('tenant', `must be 1 to 128 of A-Z a-z 0-9 _ - (got ${JSON.stringify(tenant)})`);
  }
  if (typeof recordingId !== 'string' || !RECORDING_ID.test(recordingId) || ONLY_DOTS.test(recordingId)) {
    throw new InvalidRecordingField(
      'recordingId',
      `must be 1 to 128 of A-Z a-z 0-9 . _ - and not only dots (got ${JSON.stringify(recordingId)})`,
    );
  }
}
