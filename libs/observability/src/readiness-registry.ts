import type { ReadinessCheck } from './readiness-check';
import type { ReadinessResult } from './readiness-result';

const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/**
 * The checks behind `GET /health/ready`. Modules that own a dependency (Redis, NATS,
 * the ARI connection) register one; the service is ready when all of them are.
 */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly checkTimeoutMs: number;

  constructor(options: { checkTimeoutMs?: number } = {}) {
    this.checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  }

  /**
   * Adds a check under a name unique in the service (it appears in the readiness
   * response). Returns a function that removes the check again.
   */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  /** Runs every check at once; a check slower than the timeout counts as not ready. */
  async evaluate(): Promise<ReadinessResult[]> {
    return Promise.all([...this.checks].map(([name, check]) => this.run(name, check)));
  }

  private async run(name: string, check: ReadinessCheck): Promise<ReadinessResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ReadinessResult>((resolve) => {
      const reason = `no answer within ${this.checkTimeoutMs} ms`;
      timer = setTimeout(() => resolve({ name, ready: false, reason }), this.checkTimeoutMs);
    });
    const answered = (async (): Promise<ReadinessResult> => {
      try {
        return { name, ready: (await check()) === true };
      } catch (error) {
        return { name, ready: false, reason: error instanceof Error ? error.message : String(error) };
      }
    })();
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
