// SIPp for the calls bench, where libs/testing's startSipp stops short: a call rate (-r),
// per-call response times (-trace_rtt) and files kept after the run for the report.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a SIPp asked to stop may take before it is killed. */
const STOP_GRACE_MS = 5_000;

type Values = Readonly<Record<string, string | number>>;

/** This folder's scenario files. */
export const SCENARIO_DIR = resolve(__dirname);
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
/** Every SIPp still running; killed if this process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export interface SippProcessOptions {
  /** A scenario file of this folder (`caller.xml`). */
  readonly scenario: string;
  /** Where its files go (messages.log, stats.csv, <scenario>_<pid>_rtt.csv, errors.log, screen.log). */
  readonly workDir: string;
  /** `address:port` to call; none for a scenario that waits for calls. */
  readonly target?: string;
  /** Dialled number (`-s`). */
  readonly service?: string;
  readonly localAddress: string;
  readonly localPort: number;
  /** `-key name value`: [name] in the scenario's messages. */
  readonly keys?: Values;
  /** `-set name value`: variables the scenario declares as global. */
  readonly variables?: Values;
  /** New calls per second (`-r`); a caller only. */
  readonly ratePerSecond?: number;
  /** Calls to place (`-m`); a caller only. */
  readonly calls?: number;
  /** Calls up at once (`-l`). */
  readonly maxConcurrentCalls: number;
  /** SIPp gives up at this time (`-timeout`), and is killed 5 s later. */
  readonly timeoutMs: number;
}

/** How SIPp ended: 0 all calls succeeded, 1 some failed, 97/99/255 see SIPp's manual. */
export interface SippExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** One SIPp run whose trace files stay in `workDir` once it has ended. */
export class SippProcess {
  private constructor(
    readonly options: SippProcessOptions,
    private readonly child: ChildProcess,
    readonly done: Promise<SippExit>,
  ) {}

  static async start(options: SippProcessOptions): Promise<SippProcess> {
    await mkdir(options.workDir, { recursive: true });
    const pairs = (flag: string, values: Values = {}) => Object.entries(values).flatMap(([name, value]) => [flag, name, String(value)]);
    const args = [
      ...(options.target ? [options.target] : []),
      '-sf', join(SCENARIO_DIR, options.scenario),
      ...(options.service ? ['-s', options.service] : []),
      '-i', options.localAddress,
      '-p', String(options.localPort),
      '-mi', options.localAddress,
      '-mp', String(await freeMediaPorts(options.localAddress)),
      ...(options.ratePerSecond ? ['-r', String(options.ratePerSecond), '-rp', '1000'] : []),
      ...(options.calls ? ['-m', String(options.calls)] : []),
      '-l', String(options.maxConcurrentCalls),
      '-timeout', `${Math.ceil(options.timeoutMs / 1000)}s`,
      '-nostdin',
      '-trace_msg', '-message_file', 'messages.log',
      '-trace_err', '-error_file', 'errors.log',
      '-trace_stat', '-stf', 'stats.csv', '-fd', '1',
      '-trace_rtt', '-rtt_freq', '1',
      '-trace_screen', '-screen_file', 'screen.log',
      ...pairs('-key', options.keys),
      ...pairs('-set', options.variables),
    ];
    // setpriv: SIPp dies with this process, however it ends.
    const [command, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', 'sipp', ...args]] : ['sipp', args];
    const child = spawn(command, argv, { cwd: options.workDir, stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8_000)));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs + 5_000);
    const done = new Promise<SippExit>((resolveDone) => {
      child.once('error', (error) => (stderr += `could not run sipp: ${error.message}\n`));
      child.once('close', (exitCode, signal) => {
        clearTimeout(killer);
        running.delete(child);
        resolveDone({ exitCode, signal, stderr });
      });
    });
    const sipp = new SippProcess(options, child, done);
    if (!options.target) await sipp.listening();
    return sipp;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  file(name: 'messages.log' | 'errors.log' | 'stats.csv' | 'screen.log'): string {
    return join(this.options.workDir, name);
  }

  /** The response times file, `<scenario>_<pid>_rtt.csv`. */
  async rttFile(): Promise<string | undefined> {
    const name = (await readdir(this.options.workDir)).find((file) => file.endsWith('_rtt.csv'));
    return name && join(this.options.workDir, name);
  }

  /**
   * Ends SIPp (SIGTERM; its trace files are written as it goes) and waits for it. SIPp can
   * leave SIGTERM pending (blocked) with calls it still counts open, as an agent-phone SIPp
   * did for nine minutes after a 100 cps phase: past STOP_GRACE_MS it is killed.
   */
  async stop(): Promise<SippExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.done;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      return await this.done;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once SIPp holds its SIP port; fails with its output if it ends first. */
  private async listening(): Promise<void> {
    let ended = false;
    void this.done.then(() => (ended = true));
    for (let attempt = 0; attempt < 250 && !ended; attempt++) {
      // Read, not probed by binding: a probe holding the port for a moment is what made
      // SIPp fail to bind it ("Address already in use") in one run.
      if (await udpBound(this.options.localAddress, this.options.localPort)) return;
      await sleep(20);
    }
    const exit = await this.stop();
    throw new Error(`SIPp ${this.options.scenario} did not listen on ${this.options.localAddress}:${this.options.localPort}:\n${exit.stderr}`);
  }
}

function udpFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolveFree(false));
    socket.bind(port, address, () => socket.close(() => resolveFree(true)));
  });
}

/** Whether some process has a UDP socket bound to address:port (IPv4), from /proc/net/udp. */
async function udpBound(address: string, port: number): Promise<boolean> {
  // /proc/net/udp writes the address as the hex of its bytes in host (little-endian) order.
  const hexAddress = address
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  const local = `${hexAddress}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = await readFile('/proc/net/udp', 'utf8');
  return table.split('\n').some((line) => line.trim().split(/\s+/)[1] === local);
}

/** The first of four free UDP ports from an even one (SIPp's audio and video, RTP and RTCP), above the sites' RTP. */
async function freeMediaPorts(address: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 30_000 + 4 * Math.floor(Math.random() * 600);
    let free = 0;
    while (free < 4 && (await udpFree(address, port + free))) free++;
    if (free === 4) return port;
  }
  throw new Error(`no free pair of UDP ports for SIPp's media on ${address}`);
}
