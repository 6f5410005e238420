import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable, pipeline } from 'node:stream';
import { assertRecordingAddress } from './recording-address';
import { ByteCounter, recordingBodyStream } from './recording-body';
import { describeRecording } from './recording-description';
import { RecordingNotFound } from './recording-not-found';
import type { RecordingStore, RecordingToStore, StoredRecording } from './recording-store';

/** The one user-metadata entry holding the caller's metadata (`x-amz-meta-lianluo-metadata`). */
const METADATA_ENTRY = 'lianluo-metadata';

export interface S3RecordingStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Put before `<tenant>/<recordingId>` in every key, e.g. `recordings/`; may be empty. */
  readonly prefix?: string;
}

export interface S3ConnectionOptions {
  /** An S3-compatible server (Ceph RGW, MinIO, ...); AWS itself when undefined. */
  readonly endpoint?: string;
  readonly region: string;
  /** Both or neither; neither uses the SDK's default chain (environment, web identity, instance profile). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`; defaults to true with a custom endpoint. */
  readonly forcePathStyle?: boolean;
}

/** An S3 client set up for AWS or for an S3-compatible server. */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
  };
  if (options.endpoint !== undefined) {
    config.endpoint = options.endpoint;
    // The SDK's default CRC32 trailers (aws-chunked uploads) are not understood by every
    // S3-compatible server; send and check checksums only where the API requires them.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (options.accessKeyId !== undefined && options.secretAccessKey !== undefined) {
    config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
  }
  return new S3Client(config);
}

/**
 * Recordings as objects `<prefix><tenant>/<recordingId>` in one bucket, which must exist.
 * The content type is the object's Content-Type; the metadata travels as one user-metadata
 * entry of base64url JSON, because S3 lower-cases metadata names and allows only ASCII
 * values. A PUT, or a multipart upload's completion, replaces an object atomically.
 */
export class S3RecordingStore implements RecordingStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3RecordingStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
  }

  async put(recording: RecordingToStore): Promise<StoredRecording> {
    const description = describeRecording(recording);
    const key = this.key(recording.tenant, recording.recordingId);
    const counter = new ByteCounter();
    // A failing source destroys the counter with its error, which makes the upload fail (and abort).
    const body = pipeline(recordingBodyStream(recording.body), counter, () => undefined);
    // Upload sends one PUT for a body under a part, a multipart upload (aborted on failure) above.
    await new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: description.contentType,
        Metadata: { [METADATA_ENTRY]: encodeMetadata(description.metadata) },
      },
    }).done();
    return this.toStored(recording.tenant, recording.recordingId, description.contentType, counter.sizeBytes, description.metadata);
  }

  async head(tenant: string, recordingId: string): Promise<StoredRecording | undefined> {
    assertRecordingAddress(tenant, recordingId);
    try {
      const object = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, recordingId) }));
      return this.toStored(tenant, recordingId, object.ContentType, object.ContentLength, decodeMetadata(object.Metadata));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async open(tenant: string, recordingId: string): Promise<{ recording: StoredRecording; body: NodeJS.ReadableStream }> {
    assertRecordingAddress(tenant, recordingId);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, recordingId) }));
      if (!(object.Body instanceof Readable)) throw new Error(`GetObject ${this.bucket}/${this.key(tenant, recordingId)} returned no stream`);
      const recording = this.toStored(tenant, recordingId, object.ContentType, object.ContentLength, decodeMetadata(object.Metadata));
      return { recording, body: object.Body };
    } catch (error) {
      if (isNotFound(error)) throw new RecordingNotFound(tenant, recordingId);
      throw error;
    }
  }

  async delete(tenant: string, recordingId: string): Promise<void> {
    assertRecordingAddress(tenant, recordingId);
    // S3 answers 204 whether or not the object existed.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, recordingId) }));
  }

  private key(tenant: string, recordingId: string): string {
    return `${this.prefix}${tenant}/${recordingId}`;
  }

  private toStored(
    tenant: string,
    recordingId: string,
    contentType: string | undefined,
    sizeBytes: number | undefined,
    metadata: Readonly<Record<string, string>>,
  ): StoredRecording {
    return {
      recordingId,
      tenant,
      location: `s3://${this.bucket}/${this.key(tenant, recordingId)}`,
      contentType: contentType ?? 'application/octet-stream',
      sizeBytes: sizeBytes ?? 0,
      metadata,
    };
  }
}

function encodeMetadata(metadata: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(metadata)).toString('base64url');
}

/** An object written by something else than this store has no metadata entry: empty metadata. */
function decodeMetadata(objectMetadata: Record<string, string> | undefined): Readonly<Record<string, string>> {
  const encoded = objectMetadata?.[METADATA_ENTRY];
  if (encoded === undefined) return {};
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, string>;
}

/** No such object; a missing bucket (NoSuchBucket) is a configuration error and stays one. */
function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}
