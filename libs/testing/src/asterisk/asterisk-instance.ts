import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertAsteriskRootfs } from './asterisk-rootfs';
import { type AsteriskSiteConfig } from './asterisk-site-config';
import { instanceDir, renderAsteriskConfig } from './render-asterisk-config';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const running = new Set<AsteriskInstance>();

// No Asterisk outlives the process that started it.
process.once('exit', () => {
  for (const instance of running) instance.process?.kill('SIGKILL');
});

/** One Asterisk, run in the chroot with its own configuration and state folders. */
export class AsteriskInstance {
  process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly rootfs: string;

  constructor(
    readonly instanceId: string,
    readonly site: AsteriskSiteConfig,
    rootfs?: string,
  ) {
    this.rootfs = assertAsteriskRootfs(rootfs);
  }

  get ariUrl(): string {
    return `http://${this.site.address}:${this.site.httpPort}`;
  }
  get ariUser(): string {
    return this.site.ariUser;
  }
  get ariPassword(): string {
    return this.site.ariPassword;
  }
  /** The instance folder as seen from the host. */
  get hostDir(): string {
    return join(this.rootfs, instanceDir(this.instanceId));
  }
  get logFile(): string {
    return join(this.hostDir, 'asterisk.out');
  }
  sipUri(number: string): string {
    return `sip:${number}@${this.site.address}:${this.site.sipPort}`;
  }
  get sipTarget(): string {
    return `${this.site.address}:${this.site.sipPort}`;
  }
  get isRunning(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Writes the configuration and starts Asterisk; resolves once ARI answers. */
  async start(): Promise<void> {
    if (this.isRunning) return;
    const dir = this.hostDir;
    for (const sub of ['etc', 'run', 'spool', 'log', 'db', 'keys']) await mkdir(join(dir, sub), { recursive: true });
    for (const [file, text] of Object.entries(renderAsteriskConfig(this.instanceId, this.site))) {
      await writeFile(join(dir, 'etc', file), text);
    }
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn('chroot', [this.rootfs, 'asterisk', '-f', '-n', '-C', `${instanceDir(this.instanceId)}/etc/asterisk.conf`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.process = child;
    running.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(this);
        resolve();
      }),
    );
    await this.waitUntilReady(child);
  }

  /** Ends Asterisk at once, as a crash would. */
  async kill(): Promise<void> {
    this.process?.kill('SIGKILL');
    await this.exited;
  }

  /** Asks Asterisk to stop, then kills it if it does not. */
  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.process?.kill('SIGTERM');
    const timer = setTimeout(() => this.process?.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async remove(): Promise<void> {
    await this.kill();
    await rm(this.hostDir, { recursive: true, force: true });
  }

  /** Runs an Asterisk CLI command against this instance (`asterisk -rx`). */
  async cli(command: string): Promise<string> {
    const { stdout } = await promisify(execFile)('chroot', [
      this.rootfs,
      'asterisk',
      '-C',
      `${instanceDir(this.instanceId)}/etc/asterisk.conf`,
      '-rx',
      command,
    ]);
    return stdout;
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const auth = 'Basic ' + Buffer.from(`${this.ariUser}:${this.ariPassword}`).toString('base64');
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`Asterisk ${this.instanceId} exited during start-up (${child.exitCode ?? child.signalCode}):\n${await this.logTail()}`);
      }
      try {
        const response = await fetch(`${this.ariUrl}/ari/asterisk/info`, { headers: { authorization: auth }, signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`Asterisk ${this.instanceId} did not answer on ${this.ariUrl}/ari within ${READY_TIMEOUT_MS} ms:\n${await this.logTail()}`);
  }

  private async logTail(): Promise<string> {
    if (!existsSync(this.logFile)) return '(no log)';
    return (await readFile(this.logFile, 'utf8')).split('\n').slice(-30).join('\n');
  }
}
