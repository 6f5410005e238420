import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFolderRecordingStore } from './local-folder-recording-store';
import { GATEWAY_RECORDING, behavesLikeARecordingStore } from './test-support/recording-store-behaviour';

describe('LocalFolderRecordingStore', () => {
  let root: string;
  let store: LocalFolderRecordingStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lianluo-recordings-'));
    store = new LocalFolderRecordingStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  behavesLikeARecordingStore({ store: () => store });

  it('keeps the bytes and a JSON sidecar in one folder per tenant, and points location at the bytes', async () => {
    const stored = await store.put(GATEWAY_RECORDING);
    expect(await readdir(root)).toEqual(['acme']);
    const names = (await readdir(join(root, 'acme'))).sort();
    expect(names).toEqual([expect.stringMatching(/^r-1\.[0-9a-f]{16}\.data$/), 'r-1.json']);
    expect(fileURLToPath(stored.location)).toBe(join(root, 'acme', names[0]));
    expect(await readFile(fileURLToPath(stored.location), 'utf8')).toBe('RIFF');
    expect(JSON.parse(await readFile(join(root, 'acme', 'r-1.json'), 'utf8'))).toEqual({
      contentType: 'audio/wav',
      sizeBytes: 4,
      metadata: { callId: 'c-1' },
      dataFile: names[0],
    });
  });

  it('leaves no temporary or replaced files behind a put, and nothing of a recording after delete', async () => {
    const put = (body: string) => store.put({ recordingId: 'r-2', tenant: 'acme', contentType: 'audio/wav', body: Buffer.from(body) });
    await put('one');
    await put('two');
    expect((await readdir(join(root, 'acme'))).filter((name) => name.startsWith('r-2.'))).toHaveLength(2);
    await Promise.all([put('three'), put('four'), put('five')]);
    await store.delete('acme', 'r-2');
    expect(await readdir(join(root, 'acme'))).toEqual([]);
  });

  it('deletes only the files of the id it is given, not of ids that start the same', async () => {
    for (const recordingId of ['r', 'r.1', 'r-1']) {
      await store.put({ recordingId, tenant: 'acme', contentType: 'audio/wav', body: Buffer.from(recordingId) });
    }
    await store.delete('acme', 'r');
    expect(await store.head('acme', 'r.1')).toBeDefined();
    expect(await store.head('acme', 'r-1')).toBeDefined();
    expect((await readdir(join(root, 'acme'))).filter((name) => /^r\.[0-9a-f]{16}\.data$/.test(name))).toEqual([]);
  });

  it('resolves a relative folder against the working directory', () => {
    expect(new LocalFolderRecordingStore('var/recordings').root).toBe(join(process.cwd(), 'var/recordings'));
  });
});
