import { InvalidRecordingField } from './invalid-recording-field';
import { assertRecordingAddress } from './recording-address';
import type { RecordingToStore } from './recording-store';

const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"\\\r\n]*"))*$/;
const METADATA_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
/** S3 allows 2 KiB of user metadata; this leaves room for the base64 encoding. */
export const METADATA_MAX_JSON_BYTES = 1024;

/** What both stores keep beside the bytes. */
export interface RecordingDescription {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Validates everything but the body of a recording to store, so a bad value fails
 * before a byte is written, with the same rules in every store.
 *
 * @throws InvalidRecordingField naming the field.
 */
export function describeRecording(recording: RecordingToStore): RecordingDescription {
  assertRecordingAddress(recording.tenant, recording.recordingId);
  const { contentType } = recording;
  if (typeof contentType !== 'string' || contentType.length > 255 || !CONTENT_TYPE.test(contentType)) {
    throw new InvalidRecordingField('contentType', `must be a media type such as audio/wav (got ${JSON.stringify(contentType)})`);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(recording.metadata ?? {})) {
    if (!METADATA_KEY.test(key)) {
      throw new InvalidRecordingField('metadata', `key ${JSON.stringify(key)} must be 1 to 64 of A-Z a-z 0-9 _ . -`);
    }
    if (typeof value !== 'string') throw new InvalidRecordingField('metadata', `value of ${key} must be a string`);
    metadata[key] = value;
  }
  const jsonBytes = Buffer.byteLength(JSON.stringify(metadata));
  if (jsonBytes > METADATA_MAX_JSON_BYTES) {
    throw new InvalidRecordingField('metadata', `must be at most ${METADATA_MAX_JSON_BYTES} bytes as JSON (got ${jsonBytes})`);
  }
  return { contentType, metadata };
}
