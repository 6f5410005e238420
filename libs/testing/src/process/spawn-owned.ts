import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Asterisk and SIPp started by a test must never outlive it. The kernel sees to it:
 * `setpriv --pdeathsig KILL` has the child (which execs on, keeping the setting) killed
 * when the thread that started it ends, however this process dies, SIGKILL included.
 * Children still running when this process exits normally are killed too, which also
 * covers a machine without setpriv.
 */
const owned = new Set<ChildProcess>();
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
let guarding = false;

/** Spawns `command` as a child that dies with this process. */
export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (!guarding) {
    guarding = true;
    process.once('exit', () => {
      for (const child of owned) child.kill('SIGKILL');
    });
  }
  const child = SETPRIV ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], options) : spawn(command, args, options);
  owned.add(child);
  const forget = () => owned.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}
