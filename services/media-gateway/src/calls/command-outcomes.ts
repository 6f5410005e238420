/**
 * Remembers the outcome of recent commands by command id, so a retried command (same id,
 * e.g. after the caller's deadline ran out) runs once and gets the first outcome again.
 */
export class CommandOutcomes {
  private readonly outcomes = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity = 10_000) {}

  once<T>(commandId: string, run: () => Promise<T>): Promise<T> {
    const known = this.outcomes.get(commandId);
    if (known) return known as Promise<T>;
    const outcome = run();
    outcome.catch(() => undefined); // observed by the caller; kept for retries
    this.outcomes.set(commandId, outcome);
    if (this.outcomes.size > this.capacity) {
      const oldest = this.outcomes.keys().next().value as string;
      this.outcomes.delete(oldest);
    }
    return outcome;
  }
}
