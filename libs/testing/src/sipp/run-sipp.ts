import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, freeUdpPortRun } from '../infra/free-port';
import { SIP_TESTER_SHARE } from './shipped-dtmf-pcap';
import { spawnOwned } from '../process/spawn-owned';

type Values = Readonly<Record<string, string | number>>;

/** The scenario files of libs/testing/sipp (the same path from src/ and dist/). */
export const SIPP_SCENARIO_DIR = resolve(__dirname, '..', '..', 'sipp');
const OUTPUT_KEPT_CHARS = 64_000;

export interface SippOptions {
  /** A scenario file of libs/testing/sipp (`uac-dtmf.xml`), or a path to another one. */
  readonly scenario: string;
  /** `address:port` to call; leave out for a scenario that waits for calls (UAS). */
  readonly target?: string;
  /** Dialled number, or the user part of a UAS's contact (`-s`). Default `100`. */
  readonly service?: string;
  /** Calling number, the `[caller]` of our scenarios. Default `13800138000`. */
  readonly caller?: string;
  /** Address SIPp binds and sends from (`-i`). Default 127.0.0.1, which local sites take for the PSTN trunk. */
  readonly localAddress?: string;
  /** SIP port (`-p`). Default: a free one. */
  readonly localPort?: number;
  /** RTP address (`-mi`). Default: localAddress. */
  readonly mediaAddress?: string;
  /** RTP port (`-mp`; SIPp also takes the next three). Default: a free run of ports. */
  readonly mediaPort?: number;
  /** Calls to place or take (`-m`, and at most that many at once, `-l`). Default 1. */
  readonly calls?: number;
  /** Keyword values (`-key name value`), `[name]` in a scenario. */
  readonly keys?: Values;
  /** Global variables (`-set name value`), declared by a scenario's `<Global variables>`; our scenarios take durations so. */
  readonly variables?: Values;
  /** Keys and variables in one: a name the scenario declares in `<Global variables>` goes to `-set`, any other to `-key`. */
  readonly values?: Values;
  /** Bound on the whole run: SIPp gives up at this time and is killed 5 s after. Default 60 s. */
  readonly timeoutMs?: number;
}

export interface SippResult {
  /** 0 when every call went as the scenario says; null when SIPp had to be killed. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** SIPp's error log (unexpected messages, timeouts, bad scenario); empty when all went well. */
  readonly errors: string;
  /** Every SIP message sent and received. */
  readonly messages: string;
  /** What the scenario's `<log>` actions wrote. */
  readonly logs: string;
}

/** A SIPp run in progress. */
export interface SippRun {
  /** The SIP address and port SIPp listens on. */
  readonly localAddress: string;
  readonly localPort: number;
  /** Resolves when SIPp has exited, never later than the run's bound. */
  readonly done: Promise<SippResult>;
  /** Ends the run now (SIGTERM); `done` still resolves. */
  stop(): void;
}

/** Runs SIPp with a scenario until it ends; never hangs past `timeoutMs` (+5 s). */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  return (await startSipp(options)).done;
}

/** Starts SIPp; the caller awaits `done`. */
export async function startSipp(options: SippOptions): Promise<SippRun> {
  const localAddress = options.localAddress ?? '127.0.0.1';
  const mediaAddress = options.mediaAddress ?? localAddress;
  const localPort = options.localPort ?? (await freePort(localAddress));
  const mediaPort = options.mediaPort ?? (await freeUdpPortRun(mediaAddress, 4));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const calls = String(options.calls ?? 1);
  const scenarioFile = resolve(SIPP_SCENARIO_DIR, options.scenario);
  const { keys, variables } = await routeValues(scenarioFile, options);
  const workDir = await mkdtemp(join(tmpdir(), 'lianluo-sipp-'));
  const file = (name: string) => join(workDir, name);
  const pairs = (flag: string, entries: Values) =>
    Object.entries(entries).flatMap(([name, value]) => [flag, name, String(value)]);

  const args = [
    ...(options.target ? [options.target] : []),
    '-sf', scenarioFile,
    '-s', options.service ?? '100',
    '-i', localAddress,
    '-p', String(localPort),
    '-mi', mediaAddress,
    '-mp', String(mediaPort),
    '-m', calls,
    '-l', calls,
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err', '-error_file', file('errors.log'),
    '-trace_msg', '-message_file', file('messages.log'),
    '-trace_logs', '-log_file', file('logs.log'),
    '-trace_stat', '-stf', file('stats.csv'),
    ...pairs('-key', keys),
    ...pairs('-set', variables),
  ];
  const child = spawnOwned('sipp', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  // SIPp redraws its statistics screen as it runs: keep the end of what it prints.
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-OUTPUT_KEPT_CHARS)));
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-OUTPUT_KEPT_CHARS)));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);

  const done = new Promise<SippResult>((resolveDone) => {
    let spawnError = '';
    child.once('error', (error) => (spawnError = `could not run sipp: ${error.message} (install sip-tester: bash scripts/provision.sh)\n`));
    child.once('close', (exitCode, signal) => {
      clearTimeout(killer);
      const read = (name: string) => readFile(file(name), 'utf8').catch(() => '');
      void Promise.all([read('errors.log'), read('messages.log'), read('logs.log')])
        .then(([errors, messages, logs]) => ({ exitCode, signal, stdout, stderr: spawnError + stderr, errors, messages, logs }))
        .then(async (result) => {
          await rm(workDir, { recursive: true, force: true });
          resolveDone(result);
        });
    });
  });
  return { localAddress, localPort, done, stop: () => child.kill('SIGTERM') };
}

/**
 * The `-key` and `-set` values of a run. Keys our scenarios use get defaults (SIPp ignores
 * keys a scenario does not use, but refuses to set a variable it does not declare).
 */
async function routeValues(scenarioFile: string, options: SippOptions): Promise<{ keys: Values; variables: Values }> {
  const text = await readFile(scenarioFile, 'utf8').catch((error: Error) => {
    throw new Error(`SIPp scenario ${options.scenario}: ${error.message}`);
  });
  const declared = new Set(
    [...text.matchAll(/<Global\s+variables="([^"]*)"/g)].flatMap((match) => (match[1] as string).split(',').map((name) => name.trim())),
  );
  const keys: Record<string, string | number> = { caller: options.caller ?? '13800138000', audio_pcap: `${SIP_TESTER_SHARE}/g711a.pcap` };
  const variables: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(options.values ?? {})) (declared.has(name) ? variables : keys)[name] = value;
  return { keys: { ...keys, ...options.keys }, variables: { ...variables, ...options.variables } };
}
