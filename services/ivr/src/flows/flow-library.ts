import { EventEmitter } from 'node:events';
import { type FSWatcher, watch } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type FlowProblem, parseFlow } from './flow-document';
import { type Flow } from './flow.schema';

export interface FlowLibraryEvents {
  loaded: [file: string, flow: Flow];
  rejected: [file: string, problems: readonly FlowProblem[]];
}

const FLOW_FILE = /^[^.].*\.ya?ml$/;

/**
 * The flows of a folder (one YAML file each), by tenant and dialled number. A file that
 * changes is read again; if it is invalid, its problems are reported and the flow it had
 * keeps serving calls. Two files claiming the same number: the later one is refused.
 */
export class FlowLibrary extends EventEmitter<FlowLibraryEvents> {
  /** file → its flow, as last accepted. */
  private readonly byFile = new Map<string, Flow>();
  private watcher: FSWatcher | undefined;

  constructor(private readonly folder: string) {
    super();
  }

  /** Reads every flow file; rejected files are reported through `rejected`; flows whose file is gone stop answering. */
  async load(): Promise<void> {
    const files = (await readdir(this.folder)).filter((name) => FLOW_FILE.test(name)).sort();
    for (const gone of [...this.byFile.keys()].filter((file) => !files.includes(file))) this.byFile.delete(gone);
    for (const file of files) await this.reload(file);
  }

  /**
   * Watches the folder: a changed flow file is read again; any other change (Kubernetes
   * swaps a mounted ConfigMap's `..data` link, an editor renames a temporary file into
   * place) reads the whole folder again.
   */
  watch(): void {
    this.watcher ??= watch(this.folder, (_event, name) => {
      if (name && FLOW_FILE.test(name.toString())) void this.reload(name.toString());
      else void this.load().catch(() => undefined);
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** The flow answering a number for a tenant (any tenant when none is given). */
  flowFor(dialled: string, tenant?: string): Flow | undefined {
    return this.find(dialled, tenant)?.flow;
  }

  /** The flow answering a number, with the file it came from. */
  find(dialled: string, tenant?: string): { file: string; flow: Flow } | undefined {
    for (const [file, flow] of this.byFile) {
      if ((tenant === undefined || flow.tenant === tenant) && flow.numbers.includes(dialled)) return { file, flow };
    }
    return undefined;
  }

  /** How many flows serve calls now. */
  get size(): number {
    return this.byFile.size;
  }

  async reload(file: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.folder, file), 'utf8');
    } catch {
      // Removed: the flow stops answering its numbers.
      this.byFile.delete(file);
      return;
    }
    const parsed = parseFlow(file, text);
    if (!parsed.ok) {
      this.emit('rejected', file, parsed.problems);
      return;
    }
    const clash = [...this.byFile].find(
      ([other, flow]) => other !== file && flow.tenant === parsed.flow.tenant && flow.numbers.some((n) => parsed.flow.numbers.includes(n)),
    );
    if (clash) {
      this.emit('rejected', file, [{ file, line: 1, column: 1, path: 'numbers', reason: `a number is already answered by ${clash[0]}` }]);
      return;
    }
    this.byFile.set(file, parsed.flow);
    this.emit('loaded', file, parsed.flow);
  }
}
