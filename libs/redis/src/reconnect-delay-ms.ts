const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 3000;

/**
 * How long to wait before reconnection attempt `attempt` (1, 2, ...): doubling from
 * 100 ms, capped at 3 s, with ±20 % jitter so replicas restarted together do not
 * reconnect in step. Never gives up: a service without Redis reports not ready and
 * waits for it.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.max(attempt - 1, 0), MAX_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}
