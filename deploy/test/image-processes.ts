// What the image tests start: a service from its production bundle, and Asterisk from the
// Asterisk image's entry point and templates, run in the project's Debian-unstable root
// filesystem (the packages the image installs) with chroot, as the test harness runs Asterisk.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const DOCKER_DIR = resolve(__dirname, '..', '..', 'docker');
// Children die with the test process, however it ends (as libs/testing's spawnOwned does).
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** A process whose output is kept for error messages; stop() ends it. */
export class RunningProcess {
  private output = '';

  constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static start(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): RunningProcess {
    const [file, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
    return new RunningProcess(spawn(file, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get logs(): string {
    return this.output;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves once `url` answers 200; throws with the process's output when it exits or time runs out. */
  async waitFor(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`exited (${this.child.exitCode ?? this.child.signalCode}) before ${url} answered:\n${this.output}`);
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      if (response?.ok) return response;
      await response?.body?.cancel();
      await sleep(100);
    }
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The Asterisk image's entry point and templates, installed in an instance folder of the rootfs. */
export class AsteriskImageInstance {
  /** The folder as Asterisk (inside the chroot) sees it. */
  readonly dir: string;

  constructor(
    readonly rootfs: string,
    instanceId: string,
  ) {
    this.dir = `/srv/lianluo/${instanceId}`;
    rmSync(this.hostDir, { recursive: true, force: true });
    mkdirSync(join(this.hostDir, 'bin'), { recursive: true });
    cpSync(join(DOCKER_DIR, 'asterisk', 'config'), join(this.hostDir, 'templates'), { recursive: true });
    cpSync(join(DOCKER_DIR, 'asterisk', 'lianluo-asterisk'), join(this.hostDir, 'bin', 'lianluo-asterisk'));
  }

  get hostDir(): string {
    return join(this.rootfs, this.dir);
  }

  /** The variables the image sets or the pod gives, with this folder for the image's paths. */
  env(variables: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      ASTERISK_TEMPLATE_DIR: `${this.dir}/templates`,
      ASTERISK_CONFIG_DIRS: `${this.dir}/conf.d`,
      ASTERISK_STATE_DIR: `${this.dir}/state`,
      ASTERISK_RUN_DIR: `${this.dir}/run`,
      ...variables,
    };
  }

  /** `lianluo-asterisk <command>` run to the end. */
  run(command: string, variables: Record<string, string>): { status: number; output: string } {
    const result = spawnSync('chroot', [this.rootfs, '/bin/sh', `${this.dir}/bin/lianluo-asterisk`, command], {
      env: this.env(variables),
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: result.status ?? -1, output: result.stdout + result.stderr };
  }

  /** `lianluo-asterisk run`: renders and execs Asterisk in the foreground. */
  start(variables: Record<string, string>): RunningProcess {
    return RunningProcess.start('chroot', [this.rootfs, '/bin/sh', `${this.dir}/bin/lianluo-asterisk`, 'run'], { env: this.env(variables) });
  }

  /** A rendered configuration file. */
  renderedPath(name: string): string {
    return join(this.hostDir, 'run', 'etc', name);
  }

  remove(): void {
    rmSync(this.hostDir, { recursive: true, force: true });
  }
}
