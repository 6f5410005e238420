import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../infra/free-port';

/** Scenario files shipped in libs/testing/sipp. */
export const SIPP_SCENARIOS = resolve(__dirname, '..', '..', 'sipp');

/** The RFC 2833 recordings Debian's sip-tester ships. */
export function shippedDtmfPcap(digit: string): string {
  const file = `/usr/share/sip-tester/dtmf_2833_${digit === '*' ? 'star' : digit === '#' ? 'pound' : digit}.pcap`;
  if (!existsSync(file)) throw new Error(`${file} is missing: install sip-tester (bash scripts/provision.sh)`);
  return file;
}

export interface SippOptions {
  /** Scenario file name in libs/testing/sipp (e.g. `uac-dtmf.xml`). */
  readonly scenario: string;
  /** `address:port` of the Asterisk to call. */
  readonly target: string;
  /** Dialled number (`-s`). */
  readonly service?: string;
  /** Local address SIPp sends from; 127.0.0.1 is the PSTN trunk of the local sites. */
  readonly localAddress?: string;
  /** Values for `{{name}}` placeholders in the scenario. */
  readonly values?: Record<string, string | number>;
  /** Overall bound; SIPp is killed past it. */
  readonly timeoutMs?: number;
  /** Number of calls (`-m`). */
  readonly calls?: number;
}

export interface SippResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** SIPp's error log (unexpected messages, timeouts), empty when all went well. */
  readonly errors: string;
  /** Every SIP message sent and received. */
  readonly messages: string;
}

export interface SippRun {
  readonly done: Promise<SippResult>;
  stop(): void;
}

/** Starts SIPp with a scenario; `done` resolves when it exits (never hangs past the bound). */
export async function startSipp(options: SippOptions): Promise<SippRun> {
  const workDir = await mkdtemp(join(tmpdir(), 'lianluo-sipp-'));
  let scenario = await readFile(join(SIPP_SCENARIOS, options.scenario), 'utf8');
  for (const [name, value] of Object.entries(options.values ?? {})) scenario = scenario.replaceAll(`{{${name}}}`, String(value));
  const missing = /\{\{([a-z_]+)\}\}/.exec(scenario);
  if (missing) throw new Error(`scenario ${options.scenario} needs a value for {{${missing[1]}}}`);
  const scenarioFile = join(workDir, options.scenario);
  await writeFile(scenarioFile, scenario);

  const localAddress = options.localAddress ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const args = [
    options.target,
    '-sf', scenarioFile,
    '-s', options.service ?? 'lianluo',
    '-i', localAddress,
    '-p', String(await freePort(localAddress)),
    '-mi', localAddress,
    '-mp', String(await freePort(localAddress)),
    '-m', String(options.calls ?? 1),
    '-l', String(options.calls ?? 1),
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err', '-error_file', join(workDir, 'errors.log'),
    '-trace_msg', '-message_file', join(workDir, 'messages.log'),
  ];
  const child = spawn('sipp', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);
  const done = new Promise<SippResult>((resolveDone, reject) => {
    child.once('error', reject);
    child.once('exit', async (code) => {
      clearTimeout(killer);
      const read = (file: string) => readFile(join(workDir, file), 'utf8').catch(() => '');
      const logs = await readdir(workDir);
      const result = {
        exitCode: code,
        stdout,
        stderr,
        errors: logs.includes('errors.log') ? await read('errors.log') : '',
        messages: logs.includes('messages.log') ? await read('messages.log') : '',
      };
      await rm(workDir, { recursive: true, force: true });
      resolveDone(result);
    });
  });
  return { done, stop: () => child.kill('SIGTERM') };
}

/** Runs SIPp to the end. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  return (await startSipp(options)).done;
}
