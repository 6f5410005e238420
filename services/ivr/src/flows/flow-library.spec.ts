import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
});
