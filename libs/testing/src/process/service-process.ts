import { type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnOwned } from './spawn-owned';

/**
 * A built service (`services/<name>/dist/main.js`) as its own process, as in production:
 * ready when its `/health/ready` says so, and it can be killed without warning. It dies
 * with the test process whatever happens.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private output = '';

  /** `env` must set HTTP_HOST and HTTP_PORT, where the service serves its health. */
  constructor(
    private readonly main: string,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://${this.env.HTTP_HOST}:${this.env.HTTP_PORT}`;
  }

  /** Starts the process and resolves once /health/ready answers 200. */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    const child = spawnOwned(process.execPath, [this.main], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await fetch(`${this.url}/health/ready`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.main} exited (${child.exitCode ?? child.signalCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.main} was not ready within ${readyTimeoutMs} ms:\n${this.output}`);
      await sleep(50);
    }
  }

  /** Ends the process at once (SIGKILL): no shutdown hooks, nothing in flight finished. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** Asks the process to shut down (SIGTERM); kills it if it is still there after 5 s. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  /** The last 20,000 characters it wrote to stdout and stderr. */
  get logs(): string {
    return this.output;
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const impatient = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(impatient);
  }
}
