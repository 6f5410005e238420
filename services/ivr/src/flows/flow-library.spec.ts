import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowLibrary } from './flow-library';

const demoFile = join(__dirname, '..', '..', 'flows', 'demo.yaml');

/** The first `rejected` report for a file whose problems include the path (a half-written file may be reported first). */
function rejection(library: FlowLibrary, file: string, path: string) {
  return new Promise<{ path: string; line: number; reason: string }[]>((resolve) => {
    const listener = (rejected: string, problems: readonly { path: string; line: number; reason: string }[]) => {
      if (rejected !== file || !problems.some((p) => p.path === path)) return;
      library.off('rejected', listener);
      resolve([...problems]);
    };
    library.on('rejected', listener);
  });
}

describe('the flow library', () => {
  let folder: string;
  let library: FlowLibrary;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'lianluo-flows-'));
    await copyFile(demoFile, join(folder, 'demo.yaml'));
    library = new FlowLibrary(folder);
    await library.load();
    library.watch();
  });

  afterEach(async () => {
    library.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('finds the flow for a dialled number and tenant', () => {
    expect(library.flowFor('100', 'demo')?.start).toBe('identify');
    expect(library.flowFor('100', 'other')).toBeUndefined();
    expect(library.flowFor('999')).toBeUndefined();
  });

  it('applies a changed flow without restart, and keeps the old one when the change is invalid', async () => {
    const text = await readFile(demoFile, 'utf8');
    const rejected = rejection(library, 'demo.yaml', 'steps.goodbye.type');
    await writeFile(join(folder, 'demo.yaml'), text.replace('type: hang_up\n    play: [sound:goodbye]', 'type: hangup\n    play: [sound:goodbye]'));
    const problems = await rejected;
    expect(problems[0]).toMatchObject({ path: 'steps.goodbye.type', line: expect.any(Number) });
    expect(library.flowFor('100')?.steps.goodbye).toMatchObject({ type: 'hang_up' });

    const loaded = once(library, 'loaded');
    await writeFile(join(folder, 'demo.yaml'), text.replace('start: identify', 'start: main_menu'));
    await loaded;
    expect(library.flowFor('100')?.start).toBe('main_menu');
  });

  it('refuses a second file answering a number that is taken', async () => {
    const text = await readFile(demoFile, 'utf8');
    const rejected = rejection(library, 'copy.yaml', 'numbers');
    await writeFile(join(folder, 'copy.yaml'), text.replace('numbers: ["100", "4008001234"]', 'numbers: ["4008001234"]'));
    const problems = await rejected;
    expect(problems[0]?.reason).toBe('a number is already answered by demo.yaml');
  });

  it('follows a Kubernetes ConfigMap update (files linked through a ..data link swapped at once), and drops a flow whose file is gone', async () => {
    const mounted = await mkdtemp(join(tmpdir(), 'lianluo-configmap-'));
    try {
      const text = await readFile(demoFile, 'utf8');
      // How the kubelet lays out a mounted ConfigMap: a timestamped folder, ..data → it, file → ..data/file.
      await mkdir(join(mounted, '..v1'));
      await writeFile(join(mounted, '..v1', 'demo.yaml'), text);
      await symlink('..v1', join(mounted, '..data'));
      await symlink(join('..data', 'demo.yaml'), join(mounted, 'demo.yaml'));
      const configMap = new FlowLibrary(mounted);
      await configMap.load();
      configMap.watch();
      expect(configMap.flowFor('100')?.start).toBe('identify');

      // Every change of the folder reads it again; the swap is the one that brings the new flow.
      const loaded = new Promise<void>((resolve) => configMap.on('loaded', (_file, flow) => flow.start === 'main_menu' && resolve()));
      await mkdir(join(mounted, '..v2'));
      await writeFile(join(mounted, '..v2', 'demo.yaml'), text.replace('start: identify', 'start: main_menu'));
      await symlink('..v2', join(mounted, '..data_tmp'));
      await rename(join(mounted, '..data_tmp'), join(mounted, '..data'));
      await loaded;
      expect(configMap.flowFor('100')?.start).toBe('main_menu');

      await rm(join(mounted, 'demo.yaml'));
      await configMap.load();
      expect(configMap.flowFor('100')).toBeUndefined();
      configMap.close();
    } finally {
      await rm(mounted, { recursive: true, force: true });
    }
  });
});
