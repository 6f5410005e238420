// The behaviour every RecordingStore must show, run against each implementation.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InvalidRecordingField } from '../invalid-recording-field';
import { RecordingNotFound } from '../recording-not-found';
import type { RecordingStore, RecordingToStore } from '../recording-store';

export interface RecordingStoreFixture {
  /** A store whose recordings no other test sees. */
  readonly store: () => RecordingStore;
}

const TENANT = 'acme';

/** A small recording as the media gateway would put it, for store-specific tests. */
export const GATEWAY_RECORDING: RecordingToStore = {
  recordingId: 'r-1',
  tenant: TENANT,
  contentType: 'audio/wav',
  body: Buffer.from('RIFF'),
  metadata: { callId: 'c-1' },
};

function recording(recordingId: string, body: RecordingToStore['body'], extra: Partial<RecordingToStore> = {}): RecordingToStore {
  return { recordingId, tenant: TENANT, contentType: 'audio/wav', body, ...extra };
}

/** A body delivered in `chunks` pieces of `chunkBytes` bytes, each filled with its index. */
function chunkedStream(chunks: number, chunkBytes: number): Readable {
  return Readable.from((function* () {
    for (let index = 0; index < chunks; index++) yield Buffer.alloc(chunkBytes, index % 256);
  })());
}

async function read(store: RecordingStore, tenant: string, recordingId: string): Promise<Buffer> {
  return buffer((await store.open(tenant, recordingId)).body as Readable);
}

export function behavesLikeARecordingStore(fixture: RecordingStoreFixture): void {
  it('stores a recording and describes it on put and head', async () => {
    const store = fixture.store();
    const metadata = { callId: 'c-42', site: 'bj', durationMs: '1500' };
    const stored = await store.put(recording('r-1', Buffer.from('RIFF-audio'), { metadata }));
    expect(stored).toMatchObject({ recordingId: 'r-1', tenant: TENANT, contentType: 'audio/wav', sizeBytes: 10, metadata });
    expect(await store.head(TENANT, 'r-1')).toEqual(stored);
  });

  it('streams back exactly the bytes it was given, with the description', async () => {
    const store = fixture.store();
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7) % 256));
    await store.put(recording('r-bytes', body, { contentType: 'audio/x-gsm' }));
    const { recording: stored, body: stream } = await store.open(TENANT, 'r-bytes');
    expect(stored).toMatchObject({ contentType: 'audio/x-gsm', sizeBytes: body.length, metadata: {} });
    expect((await buffer(stream as Readable)).equals(body)).toBe(true);
  });

  it('accepts a Uint8Array and a stream as the body and counts their bytes', async () => {
    const store = fixture.store();
    expect((await store.put(recording('r-u8', new Uint8Array([1, 2, 3])))).sizeBytes).toBe(3);
    expect((await read(store, TENANT, 'r-u8')).equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect((await store.put(recording('r-stream', chunkedStream(5, 1000)))).sizeBytes).toBe(5000);
    const bytes = await read(store, TENANT, 'r-stream');
    expect(bytes.length).toBe(5000);
    expect([bytes[0], bytes[1999], bytes[2000], bytes[4999]]).toEqual([0, 1, 2, 4]);
  });

  it('stores a body larger than one upload part whole', async () => {
    const store = fixture.store();
    const stored = await store.put(recording('r-large', chunkedStream(7, 1024 * 1024)));
    expect(stored.sizeBytes).toBe(7 * 1024 * 1024);
    const bytes = await read(store, TENANT, 'r-large');
    expect(bytes.length).toBe(7 * 1024 * 1024);
    expect(bytes[6 * 1024 * 1024 + 5]).toBe(6);
  });

  it('keeps metadata keys and values as given, case and non-ASCII included', async () => {
    const store = fixture.store();
    const metadata = { callId: 'AbC-1', siteName: '北京 / Beijing', 'x.y_z-1': '' };
    await store.put(recording('r-meta', Buffer.from('x'), { metadata }));
    expect((await store.head(TENANT, 'r-meta'))?.metadata).toEqual(metadata);
    const opened = await store.open(TENANT, 'r-meta');
    (opened.body as Readable).destroy();
    expect(opened.recording.metadata).toEqual(metadata);
  });

  it('replaces a recording put again under the same id', async () => {
    const store = fixture.store();
    await store.put(recording('r-again', Buffer.from('first take, longer'), { metadata: { take: '1' } }));
    const second = await store.put(recording('r-again', Buffer.from('second'), { contentType: 'audio/x-gsm', metadata: { take: '2' } }));
    expect(await store.head(TENANT, 'r-again')).toEqual(second);
    expect(second).toMatchObject({ contentType: 'audio/x-gsm', sizeBytes: 6, metadata: { take: '2' } });
    expect((await read(store, TENANT, 'r-again')).toString()).toBe('second');
  });

  it('leaves one whole recording when puts of the same id race', async () => {
    const store = fixture.store();
    const takes = Array.from({ length: 6 }, (_, take) => take);
    const puts = takes.map((take) =>
      store.put(recording('r-race', chunkedStream(4, 64 * 1024).map((chunk: Buffer) => Buffer.alloc(chunk.length, take)), {
        contentType: `audio/x-take${take}`,
        metadata: { take: String(take) },
      })),
    );
    await Promise.all(puts);
    const { recording: stored, body } = await store.open(TENANT, 'r-race');
    const bytes = await buffer(body as Readable);
    const take = Number(stored.metadata.take);
    expect(takes).toContain(take);
    expect(stored.contentType).toBe(`audio/x-take${take}`);
    expect(stored.sizeBytes).toBe(4 * 64 * 1024);
    expect(bytes.length).toBe(stored.sizeBytes);
    expect(bytes.every((byte) => byte === take)).toBe(true);
  });

  it('keeps the earlier recording when the body of a replacement fails midway', async () => {
    const store = fixture.store();
    await store.put(recording('r-failing', Buffer.from('complete')));
    const failing = Readable.from((async function* () {
      yield Buffer.alloc(1000, 1);
      throw new Error('ARI connection lost');
    })());
    await expect(store.put(recording('r-failing', failing))).rejects.toThrow('ARI connection lost');
    expect((await read(store, TENANT, 'r-failing')).toString()).toBe('complete');
    expect((await store.head(TENANT, 'r-failing'))?.sizeBytes).toBe(8);
  });

  it('answers head with undefined and open with RecordingNotFound for an unknown id', async () => {
    const store = fixture.store();
    expect(await store.head(TENANT, 'never-stored')).toBeUndefined();
    const opening = store.open(TENANT, 'never-stored');
    await expect(opening).rejects.toBeInstanceOf(RecordingNotFound);
    await expect(opening).rejects.toMatchObject({ kind: 'recording-not-found', tenant: TENANT, recordingId: 'never-stored' });
  });

  it('deletes a recording, and deleting an absent one is no error', async () => {
    const store = fixture.store();
    await store.put(recording('r-gone', Buffer.from('bye')));
    await store.delete(TENANT, 'r-gone');
    expect(await store.head(TENANT, 'r-gone')).toBeUndefined();
    await expect(store.open(TENANT, 'r-gone')).rejects.toBeInstanceOf(RecordingNotFound);
    await expect(store.delete(TENANT, 'r-gone')).resolves.toBeUndefined();
    await expect(store.delete('tenant-without-recordings', 'r-gone')).resolves.toBeUndefined();
  });

  it('keeps tenants apart', async () => {
    const store = fixture.store();
    await store.put(recording('shared-id', Buffer.from('acme')));
    await store.put({ ...recording('shared-id', Buffer.from('globex')), tenant: 'globex' });
    expect((await read(store, TENANT, 'shared-id')).toString()).toBe('acme');
    expect((await read(store, 'globex', 'shared-id')).toString()).toBe('globex');
    await store.delete('globex', 'shared-id');
    expect(await store.head(TENANT, 'shared-id')).toBeDefined();
  });

  describe('refuses a tenant or id that could leave its place', () => {
    const badTenants = ['', '../other', 'a/b', 'a.b', '..', 'acme\0', 'x'.repeat(129)];
    const badIds = ['', '.', '..', '...', '../../etc/passwd', 'a/b', 'a\\b', 'r 1', 'r\n1', 'x'.repeat(129)];

    it.each(badTenants)('tenant %j, in every operation', async (tenant) => {
      const store = fixture.store();
      const expected = { kind: 'recording-field-invalid', field: 'tenant' };
      await expect(store.put({ ...recording('r-1', Buffer.from('x')), tenant })).rejects.toMatchObject(expected);
      await expect(store.head(tenant, 'r-1')).rejects.toMatchObject(expected);
      await expect(store.open(tenant, 'r-1')).rejects.toMatchObject(expected);
      await expect(store.delete(tenant, 'r-1')).rejects.toMatchObject(expected);
    });

    it.each(badIds)('recordingId %j, in every operation', async (recordingId) => {
      const store = fixture.store();
      const expected = { kind: 'recording-field-invalid', field: 'recordingId' };
      await expect(store.put(recording(recordingId, Buffer.from('x')))).rejects.toBeInstanceOf(InvalidRecordingField);
      await expect(store.put(recording(recordingId, Buffer.from('x')))).rejects.toMatchObject(expected);
      await expect(store.head(TENANT, recordingId)).rejects.toMatchObject(expected);
      await expect(store.open(TENANT, recordingId)).rejects.toMatchObject(expected);
      await expect(store.delete(TENANT, recordingId)).rejects.toMatchObject(expected);
    });
  });

  it('accepts ids with dots, dashes and underscores, up to 128 characters', async () => {
    const store = fixture.store();
    for (const recordingId of ['1700000000.42', '.hidden', 'a..b', 'R_1-x', 'x'.repeat(128)]) {
      await store.put(recording(recordingId, Buffer.from(recordingId)));
      expect((await read(store, TENANT, recordingId)).toString()).toBe(recordingId);
    }
  });

  it('refuses a bad content type or metadata before storing anything', async () => {
    const store = fixture.store();
    await expect(store.put(recording('r-bad', Buffer.from('x'), { contentType: 'wav' }))).rejects.toMatchObject({ field: 'contentType' });
    await expect(store.put(recording('r-bad', Buffer.from('x'), { contentType: 'audio/wav\r\nX-Evil: 1' }))).rejects.toMatchObject({
      field: 'contentType',
    });
    await expect(store.put(recording('r-bad', Buffer.from('x'), { metadata: { 'call id': '1' } }))).rejects.toMatchObject({ field: 'metadata' });
    await expect(store.put(recording('r-bad', Buffer.from('x'), { metadata: { big: 'x'.repeat(2000) } }))).rejects.toThrow(
      /^metadata: must be at most 1024 bytes as JSON/,
    );
    expect(await store.head(TENANT, 'r-bad')).toBeUndefined();
  });
}
