// The calls bench's knobs, from the environment, checked before anything starts.

export type Path = 'app_queue' | 'lianluo';
export type Variant = 'local' | 'cross';

/** A load: new calls per second and how many calls in all. */
export interface Load {
  readonly ratePerSecond: number;
  readonly calls: number;
}

export interface BenchSettings {
  /** Agent phones in all, half at each site. */
  readonly agents: number;
  /** Each site's callers reach that site's queue and agents. */
  readonly localLoads: readonly Load[];
  /** Callers at bj, the queue and agents at sz. */
  readonly crossLoads: readonly Load[];
  readonly variants: readonly Variant[];
  readonly paths: readonly Path[];
  /** Calls at 10/s through each path before the measured phases, unreported (JIT, pools, caches). */
  readonly warmUpCalls: number;
  /** An agent phone rings this long before answering, and hangs up this long after. */
  readonly ringMs: number;
  readonly holdMs: number;
  readonly serviceLogLevel: string;
  /** Keep SIPp's trace files beside the JSON result. */
  readonly keepTraces: boolean;
  /**
   * Before each phase, wait up to quietWaitMs for a second in which the machine is at most
   * quietBusyPercent busy: on a shared machine other work skews every figure.
   */
  readonly quietBusyPercent: number;
  readonly quietWaitMs: number;
  /** Run our services with --cpu-prof, profiles beside the JSON result. */
  readonly cpuProfiles: boolean;
}

function numbers(name: string, fallback: string, check: (value: number) => boolean): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').filter((part) => part.trim() !== '').map(Number);
  if (!values.every(check)) throw new Error(`${name} must be a comma-separated list of positive numbers (got "${raw}")`);
  return values;
}

function loads(rateName: string, callsName: string, rates: string, calls: string): Load[] {
  const ratesPerSecond = numbers(rateName, rates, (value) => value > 0 && value <= 500);
  const counts = numbers(callsName, calls, (value) => Number.isInteger(value) && value >= 2);
  if (counts.length !== ratesPerSecond.length) throw new Error(`${callsName} needs one call count per rate of ${rateName}`);
  return ratesPerSecond.map((ratePerSecond, i) => ({ ratePerSecond, calls: counts[i] as number }));
}

function oneOf<T extends string>(name: string, fallback: string, allowed: readonly T[]): T[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').map((part) => part.trim());
  if (!values.every((value) => (allowed as readonly string[]).includes(value))) throw new Error(`${name} must list some of ${allowed.join(', ')} (got "${raw}")`);
  return values as T[];
}

export function benchSettings(): BenchSettings {
  const agents = Number(process.env.BENCH_AGENTS ?? 100);
  if (!(Number.isInteger(agents) && agents >= 2 && agents <= 1_000 && agents % 2 === 0)) throw new Error(`BENCH_AGENTS must be an even number from 2 to 1000 (got ${agents})`);
  const [ringMs, holdMs] = [Number(process.env.BENCH_RING_MS ?? 100), Number(process.env.BENCH_HOLD_MS ?? 500)];
  if (!(ringMs >= 0 && holdMs >= 0)) throw new Error('BENCH_RING_MS and BENCH_HOLD_MS must be 0 or more');
  const warmUpCalls = Number(process.env.BENCH_WARMUP_CALLS ?? 40);
  if (!(Number.isInteger(warmUpCalls) && warmUpCalls >= 0)) throw new Error(`BENCH_WARMUP_CALLS must be a whole number (got ${warmUpCalls})`);
  return {
    agents,
    localLoads: loads('BENCH_RATES', 'BENCH_CALLS', '20,50,100', '300,500,600'),
    crossLoads: loads('BENCH_CROSS_RATES', 'BENCH_CROSS_CALLS', '20,50', '300,500'),
    variants: oneOf<Variant>('BENCH_VARIANTS', 'local,cross', ['local', 'cross']),
    paths: oneOf<Path>('BENCH_PATHS', 'app_queue,lianluo', ['app_queue', 'lianluo']),
    warmUpCalls,
    ringMs,
    holdMs,
    serviceLogLevel: process.env.LOG_LEVEL ?? 'info',
    keepTraces: process.env.BENCH_KEEP_TRACES === '1',
    quietBusyPercent: Number(process.env.BENCH_QUIET_BUSY_PERCENT ?? 30),
    quietWaitMs: Number(process.env.BENCH_QUIET_WAIT_S ?? 45) * 1000,
    cpuProfiles: process.env.BENCH_CPU_PROFILE === '1',
  };
}
