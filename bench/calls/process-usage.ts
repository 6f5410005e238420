// CPU time and memory of processes as the kernel counts them (/proc), for the calls bench:
// Asterisk, our services, the infrastructure they lean on, and the machine as a whole.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;
const SAMPLE_EVERY_MS = 200;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (all its threads); undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); field 3 (state) is fields[0] here.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size now (VmRSS) and at its highest since the process started (VmHWM), in bytes. */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } | undefined {
  const status = read(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** Busy and total CPU seconds of the whole machine so far, all cores (/proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = (read('/proc/stat') ?? '').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Processes whose command name (/proc/<pid>/comm) is `comm`, e.g. `postgres`. */
export function pidsNamed(comm: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && read(`/proc/${name}/comm`)?.trim() === comm)
    .map(Number);
}

/** The child of this process running `script` (its command line) with `HTTP_PORT=<httpPort>` in its environment. */
export function childPidServing(script: string, httpPort: string): number | undefined {
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
    (read(`/proc/${process.pid}/task/${task}/children`) ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
  );
  return children.find(
    (pid) => (read(`/proc/${pid}/cmdline`) ?? '').split('\0').includes(script) && (read(`/proc/${pid}/environ`) ?? '').split('\0').includes(`HTTP_PORT=${httpPort}`),
  );
}

/**
 * Named groups of processes measured together (Asterisk, services, infrastructure): each
 * member names its processes now, asked again at every sample (postgres starts a process
 * per connection).
 */
export type ProcessGroups = Readonly<Record<string, Readonly<Record<string, () => readonly number[]>>>>;

/** What one group used over a measured window. */
export interface GroupUsage {
  /** CPU seconds of each member (a name may stand for several processes, e.g. postgres). */
  readonly cpuSecondsByMember: Readonly<Record<string, number>>;
  readonly cpuSeconds: number;
  /** The highest resident memory of the group's processes together, sampled every 200 ms. */
  readonly peakRssBytes: number;
}

export interface WindowUsage {
  readonly seconds: number;
  readonly groups: Readonly<Record<string, GroupUsage>>;
  /** CPU seconds the whole machine was busy, and its capacity (cores × seconds). */
  readonly machineBusyCpuSeconds: number;
  readonly machineCpuSeconds: number;
}

/**
 * Measures processes over a window: CPU seconds between construction and stop(), and the
 * peak of their summed resident memory, sampled meanwhile. A process that ends inside the
 * window counts up to its last sample; one that first appears inside it counts from zero.
 */
export class UsageWindow {
  private readonly firstCpu = new Map<number, number>();
  private readonly lastCpu = new Map<number, number>();
  private readonly peakRss = new Map<string, number>();
  /** Every process each member had at some sample: group → member → pids. */
  private readonly seen = new Map<string, Record<string, Set<number>>>();
  private readonly startedAt = performance.now();
  private readonly machineAtStart = machineCpuSeconds();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly groups: ProcessGroups) {
    for (const pid of Object.values(groups).flatMap((members) => Object.values(members).flatMap((pids) => pids()))) {
      const cpu = cpuSecondsOf(pid);
      if (cpu !== undefined) this.firstCpu.set(pid, cpu);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  stop(): WindowUsage {
    clearInterval(this.timer);
    this.sample();
    const machine = machineCpuSeconds();
    const groups: Record<string, GroupUsage> = {};
    for (const group of Object.keys(this.groups)) {
      const cpuSecondsByMember: Record<string, number> = {};
      for (const [member, pids] of Object.entries(this.seen.get(group) ?? {})) {
        cpuSecondsByMember[member] = [...pids].reduce((sum, pid) => sum + ((this.lastCpu.get(pid) ?? 0) - (this.firstCpu.get(pid) ?? 0)), 0);
      }
      const cpuSeconds = Object.values(cpuSecondsByMember).reduce((sum, value) => sum + value, 0);
      groups[group] = { cpuSecondsByMember, cpuSeconds, peakRssBytes: this.peakRss.get(group) ?? 0 };
    }
    return {
      seconds: (performance.now() - this.startedAt) / 1000,
      groups,
      machineBusyCpuSeconds: machine.busy - this.machineAtStart.busy,
      machineCpuSeconds: machine.total - this.machineAtStart.total,
    };
  }

  private sample(): void {
    for (const [group, members] of Object.entries(this.groups)) {
      let rss = 0;
      for (const [member, pidsNow] of Object.entries(members)) {
        for (const pid of pidsNow()) {
          const cpu = cpuSecondsOf(pid);
          if (cpu === undefined) continue;
          this.lastCpu.set(pid, cpu);
          this.seenAs(group, member).add(pid);
          rss += memoryOf(pid)?.rssBytes ?? 0;
        }
      }
      this.peakRss.set(group, Math.max(this.peakRss.get(group) ?? 0, rss));
    }
  }

  private seenAs(group: string, member: string): Set<number> {
    const members = this.seen.get(group) ?? {};
    this.seen.set(group, members);
    return (members[member] ??= new Set());
  }
}

/**
 * Waits until the machine has been at most `busyPercent` busy over one second, for at most
 * `maxWaitMs`; returns how long it waited and how busy the last second was.
 */
export async function quietMachine(busyPercent: number, maxWaitMs: number): Promise<{ waitedMs: number; busyPercent: number }> {
  const started = performance.now();
  for (;;) {
    const before = machineCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = machineCpuSeconds();
    const busy = ((after.busy - before.busy) / Math.max(1e-9, after.total - before.total)) * 100;
    const waitedMs = performance.now() - started;
    if (busy <= busyPercent || waitedMs >= maxWaitMs) return { waitedMs, busyPercent: busy };
  }
}
