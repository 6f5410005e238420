import { configSchema, loadConfig, natsConfig } from '@lianluo/config';
import { createRecordingStore } from './create-recording-store';
import { LocalFolderRecordingStore } from './local-folder-recording-store';
import { recordingStoreConfig } from './recording-store-config';
import { S3RecordingStore } from './s3-recording-store';

describe('recordingStoreConfig', () => {
  it('defaults to a local folder under the working directory', () => {
    expect(loadConfig(recordingStoreConfig, {})).toEqual({
      RECORDING_STORE: 'local',
      RECORDING_DIR: 'var/recordings',
      S3_REGION: 'us-east-1',
      S3_PREFIX: '',
    });
  });

  it('reads every S3 variable', () => {
    const config = loadConfig(recordingStoreConfig, {
      RECORDING_STORE: 'S3',
      S3_ENDPOINT: 'http://rgw.storage:7480',
      S3_REGION: 'cn-north-1',
      S3_BUCKET: 'recordings',
      S3_PREFIX: 'lianluo/prod/',
      S3_ACCESS_KEY_ID: 'AK',
      S3_SECRET_ACCESS_KEY: 'SK',
      S3_FORCE_PATH_STYLE: 'no',
    });
    expect(config).toMatchObject({ RECORDING_STORE: 's3', S3_BUCKET: 'recordings', S3_PREFIX: 'lianluo/prod/', S3_FORCE_PATH_STYLE: false });
  });

  it('names S3_BUCKET when RECORDING_STORE is s3 without one', () => {
    expect(() => loadConfig(recordingStoreConfig, { RECORDING_STORE: 's3' })).toThrow(/S3_BUCKET: required when RECORDING_STORE is s3/);
  });

  it('reports every bad S3 variable at once and hides the secret', () => {
    let message = '';
    try {
      loadConfig(recordingStoreConfig, {
        RECORDING_STORE: 's3',
        S3_ENDPOINT: 'ftp://x',
        S3_BUCKET: 'Bad_Bucket',
        S3_PREFIX: '/leading',
        S3_SECRET_ACCESS_KEY: 'do-not-print',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const variable of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_PREFIX', 'S3_ACCESS_KEY_ID']) {
      expect(message).toMatch(new RegExp(`^  ${variable}: `, 'm'));
    }
    expect(message).toMatch(/S3_ACCESS_KEY_ID: required when S3_SECRET_ACCESS_KEY is set/);
    expect(message).not.toContain('do-not-print');
  });

  it('names S3_FORCE_PATH_STYLE when it is not a boolean', () => {
    expect(() => loadConfig(recordingStoreConfig, { S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE: must be true or false/);
  });

  it('refuses an unknown RECORDING_STORE', () => {
    expect(() => loadConfig(recordingStoreConfig, { RECORDING_STORE: 'nfs' })).toThrow(/RECORDING_STORE: must be one of local, s3/);
  });

  it('ignores the S3 variables of a local store', () => {
    expect(loadConfig(recordingStoreConfig, { S3_ACCESS_KEY_ID: 'AK' }).RECORDING_STORE).toBe('local');
  });

  it('joins a service schema with its cross-variable check intact', () => {
    const schema = configSchema(natsConfig, recordingStoreConfig);
    expect(() => loadConfig(schema, { RECORDING_STORE: 's3' })).toThrow(/S3_BUCKET: required/);
  });
});

describe('createRecordingStore', () => {
  it('makes the store RECORDING_STORE names', () => {
    expect(createRecordingStore(loadConfig(recordingStoreConfig, { RECORDING_DIR: '/srv/recordings' }))).toEqual(
      expect.objectContaining({ root: '/srv/recordings' }),
    );
    expect(createRecordingStore(loadConfig(recordingStoreConfig, {}))).toBeInstanceOf(LocalFolderRecordingStore);
    const s3 = loadConfig(recordingStoreConfig, { RECORDING_STORE: 's3', S3_BUCKET: 'recordings', S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(createRecordingStore(s3)).toBeInstanceOf(S3RecordingStore);
  });
});
