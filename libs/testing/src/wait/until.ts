import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it holds: for state that announces itself by no event (a row
 * written, a key gone, an HTTP answer), a state to reach rather than a time to pass.
 */
export async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}
