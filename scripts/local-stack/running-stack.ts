// What a running `npm start` leaves in its state folder (stack.json) so that `npm run call`,
// `npm run agent` and the test of npm start reach that stack, whatever its ports and namespace.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ServiceName } from './stack-settings';

export interface RunningSite {
  /** Where SIP reaches the site, `address:port` as SIPp takes it. */
  readonly sipTarget: string;
  readonly ariUrl: string;
  readonly asteriskPid: number;
}

export interface RunningService {
  /** Base URL of its HTTP server: /metrics, /health/live, /health/ready. */
  readonly url: string;
  readonly pid: number;
}

export interface RunningStack {
  /** The local-stack process itself. */
  readonly pid: number;
  readonly namespace: string;
  readonly tenant: string;
  readonly natsUrl: string;
  readonly sites: Readonly<Record<'bj' | 'sz', RunningSite>>;
  readonly services: Readonly<Record<ServiceName, RunningService>>;
}

export function runningStackFile(stateDir: string): string {
  return join(stateDir, 'stack.json');
}

/** Written whole or not at all (a rename), so a reader never sees half a file. */
export async function writeRunningStack(stateDir: string, stack: RunningStack): Promise<void> {
  const file = runningStackFile(stateDir);
  await writeFile(`${file}.${process.pid}`, JSON.stringify(stack, null, 2) + '\n');
  await rename(`${file}.${process.pid}`, file);
}

export async function removeRunningStack(stateDir: string): Promise<void> {
  await rm(runningStackFile(stateDir), { force: true });
}

/** The stack running from `stateDir`; throws saying how to start one when there is none. */
export async function readRunningStack(stateDir: string): Promise<RunningStack> {
  const stack = await findRunningStack(stateDir);
  if (stack === undefined) throw new Error(`no stack is running from ${stateDir}: start one with \`npm start\``);
  return stack;
}

/** The stack running from `stateDir`, or undefined when there is no stack.json or the stack that wrote it is gone. */
export async function findRunningStack(stateDir: string): Promise<RunningStack | undefined> {
  const text = await readFile(runningStackFile(stateDir), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const stack = JSON.parse(text) as RunningStack;
  return processExists(stack.pid) ? stack : undefined;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
