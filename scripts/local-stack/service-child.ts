import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const READY_POLL_MS = 100;

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why it could not be started at all. */
  readonly error?: string;
}

/**
 * One service of the local stack (`services/<name>/dist/main.js`) as a child process, its
 * output in a log file. It runs in a process group of its own, so Ctrl-C reaches only the
 * local stack, which stops the services before Asterisk; and the kernel kills it when the
 * local stack dies, however that happens (`setpriv --pdeathsig`).
 */
export class ServiceChild {
  /** Resolves when the process has exited, whyever. */
  readonly exited: Promise<ServiceExit>;
  private readonly child: ChildProcess;

  private constructor(
    readonly name: string,
    readonly url: string,
    readonly logFile: string,
    main: string,
    env: Readonly<Record<string, string>>,
  ) {
    const log = openSync(logFile, 'w');
    const command = [process.execPath, main];
    const [file, ...args] = SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...command] : command;
    this.child = spawn(file as string, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
    });
  }

  /** Starts `main` with `env` (which sets HTTP_HOST and HTTP_PORT), writing its output to `logFile`. */
  static start(name: string, main: string, env: Readonly<Record<string, string>>, logFile: string): ServiceChild {
    return new ServiceChild(name, `http://${env.HTTP_HOST}:${env.HTTP_PORT}`, logFile, main, env);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once /health/ready answers 200; throws when the process exits first or `timeoutMs` passes. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited during start-up`);
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      await response?.body?.cancel();
      if (response?.ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} was not ready at ${this.url}/health/ready within ${timeoutMs / 1000} s; the end of ${this.logFile}:\n${await this.logTail()}`);
      await sleep(READY_POLL_MS);
    }
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves when it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const impatient = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(impatient);
  }

  /** The last lines the service wrote. */
  async logTail(lines = 15): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `    ${line}`)
      .join('\n');
  }
}
