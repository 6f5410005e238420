// A folder laid out as the kubelet lays out a ConfigMap volume (its AtomicWriter): the files
// are in a timestamped folder, `..data` links to it, and each key is a link through `..data`.
// An update writes a new timestamped folder and renames a new link over `..data`, so a reader
// sees the old files or the new ones, never a mixture; the per-key links change only when keys
// come or go. This is what a pod sees when the volume is mounted whole (not with subPath).
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class ConfigMapVolume {
  private version = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Replaces the volume's files with `data` (key → contents), as the kubelet does on an update. */
  update(data: Readonly<Record<string, string>>): void {
    const dataLink = join(this.dir, '..data');
    const previous = existsSync(dataLink) ? readlinkSync(dataLink) : undefined;
    const folder = `..${new Date().toISOString().replace(/[-:.]/g, '_')}_${this.version++}`;
    mkdirSync(join(this.dir, folder));
    for (const [key, contents] of Object.entries(data)) writeFileSync(join(this.dir, folder, key), contents);
    symlinkSync(folder, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), dataLink);
    for (const key of Object.keys(data)) {
      if (!isLink(join(this.dir, key))) symlinkSync(join('..data', key), join(this.dir, key));
    }
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith('..') && !Object.hasOwn(data, name)) unlinkSync(join(this.dir, name));
    }
    if (previous) rmSync(join(this.dir, previous), { recursive: true, force: true });
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
