export type { RecordingStore, RecordingToStore, StoredRecording } from './recording-store';
export { RecordingNotFound } from './recording-not-found';
export { InvalidRecordingField, type RecordingField } from './invalid-recording-field';
export { LocalFolderRecordingStore } from './local-folder-recording-store';
export { S3RecordingStore, createS3Client, type S3ConnectionOptions, type S3RecordingStoreOptions } from './s3-recording-store';
export {
  recordingStoreConfig,
  RECORDING_STORE_KINDS,
  type RecordingStoreConfig,
  type RecordingStoreKind,
} from './recording-store-config';
export { createRecordingStore } from './create-recording-store';
