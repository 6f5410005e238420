import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { assertRecordingAddress } from './recording-address';
import { ByteCounter, recordingBodyStream } from './recording-body';
import { describeRecording } from './recording-description';
import { RecordingNotFound } from './recording-not-found';
import type { RecordingStore, RecordingToStore, StoredRecording } from './recording-store';

/** The sidecar `<recordingId>.json`: what a recording is and which data file holds its bytes. */
interface Sidecar {
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly metadata: Record<string, string>;
  readonly dataFile: string;
}

const VERSION = /^[0-9a-f]{16}$/;
/** A reader racing a replacement retries this often before giving up. */
const OPEN_ATTEMPTS = 5;

/**
 * Recordings in a folder: `<root>/<tenant>/<recordingId>.json` (the sidecar) and
 * `<root>/<tenant>/<recordingId>.<version>.data` (the bytes).
 *
 * Invariant: the sidecar is the commit point. `put` writes and fsyncs a new data file
 * under a fresh version that nothing refers to yet, then writes the sidecar to a temp
 * file and renames it over the old one. A reader therefore sees the old recording or the
 * new one, with matching size and content type; concurrent puts of one id end with one
 * whole recording, the last rename's. The replaced data file is deleted afterwards; one
 * left by a crash or a lost race is only garbage, which `delete` removes with the rest.
 */
export class LocalFolderRecordingStore implements RecordingStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(recording: RecordingToStore): Promise<StoredRecording> {
    const description = describeRecording(recording);
    const folder = await this.tenantFolder(recording.tenant);
    const version = randomBytes(8).toString('hex');
    const dataFile = `${recording.recordingId}.${version}.data`;
    const dataPath = join(folder, dataFile);
    const counter = new ByteCounter();
    try {
      const file = await open(dataPath, 'wx');
      try {
        await pipeline(recordingBodyStream(recording.body), counter, createWriteStream('', { fd: file, flush: true }));
      } finally {
        await file.close().catch(() => undefined); // already closed by the write stream when it finished
      }
      const replaced = await this.readSidecar(folder, recording.recordingId);
      const sidecar: Sidecar = { ...description, metadata: { ...description.metadata }, sizeBytes: counter.sizeBytes, dataFile };
      await writeFileAtomically(folder, `${recording.recordingId}.json`, JSON.stringify(sidecar));
      if (replaced !== undefined && replaced.dataFile !== dataFile) await rm(join(folder, replaced.dataFile), { force: true });
      return this.toStored(recording.tenant, recording.recordingId, folder, sidecar);
    } catch (error) {
      await rm(dataPath, { force: true });
      throw error;
    }
  }

  async head(tenant: string, recordingId: string): Promise<StoredRecording | undefined> {
    assertRecordingAddress(tenant, recordingId);
    const folder = join(this.root, tenant);
    const sidecar = await this.readSidecar(folder, recordingId);
    return sidecar && this.toStored(tenant, recordingId, folder, sidecar);
  }

  async open(tenant: string, recordingId: string): Promise<{ recording: StoredRecording; body: NodeJS.ReadableStream }> {
    assertRecordingAddress(tenant, recordingId);
    const folder = join(this.root, tenant);
    for (let attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
      const sidecar = await this.readSidecar(folder, recordingId);
      if (sidecar === undefined) break;
      try {
        // Once open, the bytes stay readable even if a replacement deletes the file.
        const file = await open(join(folder, sidecar.dataFile), 'r');
        return { recording: this.toStored(tenant, recordingId, folder, sidecar), body: file.createReadStream() };
      } catch (error) {
        // Replaced between reading the sidecar and opening its data file: read the new sidecar.
        if (!isMissing(error)) throw error;
      }
    }
    throw new RecordingNotFound(tenant, recordingId);
  }

  async delete(tenant: string, recordingId: string): Promise<void> {
    assertRecordingAddress(tenant, recordingId);
    const folder = join(this.root, tenant);
    await rm(join(folder, `${recordingId}.json`), { force: true });
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    const prefix = `${recordingId}.`;
    const ownData = names.filter(
      (name) => name.startsWith(prefix) && name.endsWith('.data') && VERSION.test(name.slice(prefix.length, -'.data'.length)),
    );
    await Promise.all(ownData.map((name) => rm(join(folder, name), { force: true })));
  }

  private async tenantFolder(tenant: string): Promise<string> {
    const folder = join(this.root, tenant);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  private async readSidecar(folder: string, recordingId: string): Promise<Sidecar | undefined> {
    try {
      return JSON.parse(await readFile(join(folder, `${recordingId}.json`), 'utf8')) as Sidecar;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private toStored(tenant: string, recordingId: string, folder: string, sidecar: Sidecar): StoredRecording {
    return {
      recordingId,
      tenant,
      location: pathToFileURL(join(folder, sidecar.dataFile)).href,
      contentType: sidecar.contentType,
      sizeBytes: sidecar.sizeBytes,
      metadata: sidecar.metadata,
    };
  }
}

/** Writes `name` in `folder` through a fsynced temp file and a rename, then fsyncs the folder. */
async function writeFileAtomically(folder: string, name: string, content: string): Promise<void> {
  const temp = join(folder, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flush: true });
    await rename(temp, join(folder, name));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
