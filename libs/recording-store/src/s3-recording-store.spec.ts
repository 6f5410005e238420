import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { S3RecordingStore, createS3Client } from './s3-recording-store';
import { type ObjectGateway, startCephObjectGateway } from './test-support/ceph-object-gateway';
import { GATEWAY_RECORDING, behavesLikeARecordingStore } from './test-support/recording-store-behaviour';

// Against a real S3 server: Ceph's RADOS Gateway (see test-support/ceph-object-gateway.ts).
describe('S3RecordingStore', () => {
  const bucket = `lianluo-spec-${randomBytes(4).toString('hex')}`;
  let gateway: ObjectGateway;
  let client: S3Client;
  let store: S3RecordingStore;
  let prefix: string;

  beforeAll(async () => {
    gateway = await startCephObjectGateway();
    client = createS3Client(gateway);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await gateway?.stop();
  }, 30_000);

  // Each test under its own prefix, so no test sees another's objects.
  beforeEach(() => {
    prefix = `recordings/${randomBytes(4).toString('hex')}/`;
    store = new S3RecordingStore({ client, bucket, prefix });
  });

  behavesLikeARecordingStore({ store: () => store });

  it('stores <prefix><tenant>/<recordingId> with the content type and metadata on the object', async () => {
    const stored = await store.put(GATEWAY_RECORDING);
    expect(stored.location).toBe(`s3://${bucket}/${prefix}acme/r-1`);
    const object = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}acme/r-1` }));
    expect(object.ContentType).toBe('audio/wav');
    expect(object.ContentLength).toBe(4);
    expect(JSON.parse(Buffer.from(object.Metadata?.['lianluo-metadata'] ?? '', 'base64url').toString())).toEqual({ callId: 'c-1' });
  });

  it('reads an object another tool wrote there, with empty metadata', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}acme/imported`, Body: 'abc', ContentType: 'audio/mpeg' }));
    const { recording, body } = await store.open('acme', 'imported');
    expect(recording).toMatchObject({ contentType: 'audio/mpeg', sizeBytes: 3, metadata: {} });
    expect((await buffer(body as Readable)).toString()).toBe('abc');
  });

  it('fails with the server error, not RecordingNotFound, when the bucket does not exist', async () => {
    const elsewhere = new S3RecordingStore({ client, bucket: 'no-such-bucket-here' });
    await expect(elsewhere.open('acme', 'r-1')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('does not use path-style URLs for AWS unless asked', () => {
    expect(createS3Client({ region: 'eu-west-1' }).config.forcePathStyle).toBe(false);
    expect(createS3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' }).config.forcePathStyle).toBe(true);
    expect(createS3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: false }).config.forcePathStyle).toBe(false);
  });
});
