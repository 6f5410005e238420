import { type ChildProcess, execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { spawnOwned } from '../process/spawn-owned';
import { asteriskInstanceDir } from './asterisk-instance-dir';
import { requireAsteriskRootfs } from './asterisk-rootfs-dir';
import { type AsteriskSiteConfig } from './asterisk-site-config';
import { renderAsteriskConfig } from './render-asterisk-config';

export interface AsteriskInstanceOptions {
  /** Names the instance folder `<rootfs>/srv/lianluo/<instanceId>`; unique among running instances. */
  readonly instanceId: string;
  readonly site: AsteriskSiteConfig;
  /** The Asterisk root filesystem; asteriskRootfsDir() by default. */
  readonly rootfs?: string;
  /** Bound on start() until ARI answers. Default 30 s. */
  readonly readyTimeoutMs?: number;
  /** Log verbose messages too; default: when LIANLUO_ASTERISK_VERBOSE is set. */
  readonly verbose?: boolean;
}

const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 100;
const execFileAsync = promisify(execFile);

/**
 * One Asterisk running in the chroot with its own configuration and state folder, so
 * several share one rootfs. start() resolves once ARI answers; kill() is a crash,
 * stop() a shutdown. No instance outlives the process that started it.
 */
export class AsteriskInstance {
  readonly instanceId: string;
  readonly site: AsteriskSiteConfig;
  private readonly rootfs: string;
  private readonly readyTimeoutMs: number;
  private readonly verbose: boolean;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(options: AsteriskInstanceOptions) {
    this.instanceId = options.instanceId;
    this.site = options.site;
    asteriskInstanceDir(options.instanceId); // validates the id
    this.rootfs = requireAsteriskRootfs(options.rootfs);
    this.readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    this.verbose = options.verbose ?? Boolean(process.env.LIANLUO_ASTERISK_VERBOSE);
  }

  /** Base URL of ARI's HTTP server, e.g. `http://127.0.1.1:8088`. */
  get ariUrl(): string {
    return `http://${this.site.address}:${this.site.httpPort}`;
  }

  get ariUser(): string {
    return this.site.ariUser;
  }

  get ariPassword(): string {
    return this.site.ariPassword;
  }

  /** Where SIP reaches this site: `address:port`, as SIPp takes it. */
  get sipTarget(): string {
    return `${this.site.address}:${this.site.sipPort}`;
  }

  /** A SIP URI of this site, e.g. `sip:100@127.0.1.1:5060`. */
  sipUri(number: string): string {
    return `sip:${number}@${this.sipTarget}`;
  }

  /** The instance folder as the host sees it. */
  get hostDir(): string {
    return join(this.rootfs, asteriskInstanceDir(this.instanceId));
  }

  /** Asterisk's console output, across restarts; `log/messages.log` beside it has the same. */
  get logFile(): string {
    return join(this.hostDir, 'console.log');
  }

  /** The asterisk.conf to name with `-C`, as the chroot sees it. */
  get configFile(): string {
    return `${asteriskInstanceDir(this.instanceId)}/etc/asterisk/asterisk.conf`;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.isRunning ? this.child?.pid : undefined;
  }

  /** Writes the configuration and starts Asterisk; resolves once ARI answers and start-up is complete. */
  async start(): Promise<void> {
    if (this.isRunning) return;
    await this.writeConfig();
    const out = createWriteStream(this.logFile, { flags: 'a' });
    await once(out, 'open');
    out.write(`--- ${new Date().toISOString()} starting ${this.instanceId} ---\n`);
    const child = spawnOwned('chroot', [this.rootfs, 'asterisk', '-f', '-n', '-C', this.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) => {
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        out.end(() => resolve());
      };
      child.once('exit', done);
      child.once('error', (error) => {
        out.write(`could not run chroot: ${error.message}\n`);
        done();
      });
    });
    try {
      await this.waitUntilReady();
    } catch (error) {
      child.kill('SIGKILL');
      await this.exited;
      throw error;
    }
  }

  /** Ends Asterisk at once (SIGKILL), as a crash would; resolves when it is gone. */
  async kill(): Promise<void> {
    if (this.isRunning) this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Asks Asterisk to shut down (SIGTERM), killing it if it has not within 10 s. */
  async stop(): Promise<void> {
    if (!this.isRunning) return this.exited;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** kill() then start(): a crash and a fresh start with the same configuration and folders. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Kills Asterisk if it runs and deletes the instance folder. */
  async remove(): Promise<void> {
    await this.kill();
    await rm(this.hostDir, { recursive: true, force: true });
  }

  /** Runs an Asterisk CLI command against this instance (`asterisk -rx`) and returns its output. */
  async cli(command: string): Promise<string> {
    const { stdout } = await execFileAsync('chroot', [this.rootfs, 'asterisk', '-C', this.configFile, '-rx', command], {
      timeout: 10_000,
    });
    return stdout;
  }

  private async writeConfig(): Promise<void> {
    const etc = join(this.hostDir, 'etc', 'asterisk');
    // Asterisk creates none of these itself; without spool/recording ARI cannot record (nor list recordings).
    for (const dir of [etc, ...['lib', 'spool/recording', 'run', 'log', 'cache'].map((sub) => join(this.hostDir, sub))]) {
      await mkdir(dir, { recursive: true });
    }
    const files = renderAsteriskConfig(this.site, { instanceId: this.instanceId, verbose: this.verbose });
    for (const [name, text] of Object.entries(files)) await writeFile(join(etc, name), text);
  }

  /** Resolves once ARI answers and Asterisk has fully booted with its ports; throws why not. */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    const authorization = 'Basic ' + Buffer.from(`${this.ariUser}:${this.ariPassword}`).toString('base64');
    const failed = async (why: string) => new Error(`Asterisk ${this.instanceId} ${why}; log ${this.logFile}:\n${await this.logTail()}`);
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw await failed(`exited during start-up (${this.child?.exitCode ?? this.child?.signalCode})`);
      const response = await fetch(`${this.ariUrl}/ari/asterisk/info`, { headers: { authorization }, signal: AbortSignal.timeout(1_000) }).catch(
        () => undefined,
      );
      await response?.body?.cancel();
      if (response?.status === 401) throw await failed(`is refused as ARI user ${this.ariUser} at ${this.ariUrl}: another Asterisk on that port?`);
      if (response?.status === 200) {
        // ARI answers while the last modules may still be loading.
        await this.cli('core waitfullybooted');
        // The ARI that answered may be another Asterisk's, and a SIP port taken by another
        // program only shows in the log: make sure this one holds its ports.
        const missing = await this.unboundPorts();
        if (missing.length === 0) return;
        throw await failed(`could not bind ${missing.join(' and ')} (in use?)`);
      }
      if ((await this.logTail()).includes('Failed to start HTTP server')) {
        throw await failed(`could not bind HTTP ${this.site.address}:${this.site.httpPort} (in use?)`);
      }
      await sleep(POLL_MS);
    }
    throw await failed(`did not answer on ${this.ariUrl}/ari within ${this.readyTimeoutMs} ms`);
  }

  private async unboundPorts(): Promise<string[]> {
    const { address, sipPort, httpPort } = this.site;
    const [http, transports] = await Promise.all([this.cli('http show status'), this.cli('pjsip show transports')]);
    const missing: string[] = [];
    if (!http.includes(`Bound to ${address}:${httpPort}\n`)) missing.push(`HTTP ${address}:${httpPort}`);
    for (const protocol of ['udp', 'tcp']) {
      if (!new RegExp(`transport-${protocol}\\s+${protocol}\\s+\\d+\\s+\\d+\\s+${address.replaceAll('.', '\\.')}:${sipPort}\\s`).test(transports)) {
        missing.push(`SIP/${protocol.toUpperCase()} ${address}:${sipPort}`);
      }
    }
    return missing;
  }

  /** The console output of the latest start, last 40 lines. */
  private async logTail(): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    const latest = text.slice(text.lastIndexOf('\n--- ') + 1);
    return latest.trimEnd().split('\n').slice(-40).join('\n');
  }
}
