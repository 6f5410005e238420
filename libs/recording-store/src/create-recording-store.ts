import { LocalFolderRecordingStore } from './local-folder-recording-store';
import type { RecordingStore } from './recording-store';
import type { RecordingStoreConfig } from './recording-store-config';
import { S3RecordingStore, createS3Client } from './s3-recording-store';

/** The store `RECORDING_STORE` names, from a configuration loaded with `recordingStoreConfig`. */
export function createRecordingStore(config: RecordingStoreConfig): RecordingStore {
  switch (config.RECORDING_STORE) {
    case 'local':
      return new LocalFolderRecordingStore(config.RECORDING_DIR);
    case 's3': {
      // loadConfig has refused a missing bucket already; this guards a hand-built config.
      if (config.S3_BUCKET === undefined) throw new Error('S3_BUCKET: required when RECORDING_STORE is s3');
      const client = createS3Client({
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        forcePathStyle: config.S3_FORCE_PATH_STYLE,
      });
      return new S3RecordingStore({ client, bucket: config.S3_BUCKET, prefix: config.S3_PREFIX });
    }
  }
}
