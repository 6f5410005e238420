// One phase of the calls bench: one load through one path (app_queue or ours) in one
// variant (local or cross-site), measured from SIPp's traces, /proc and our /metrics.
import { type AsteriskInstance, type Sites, freePort } from '@lianluo/testing';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_QUEUE_NUMBERS, type SiteName } from './app-queue-baseline';
import { type BenchSettings, type Load, type Path, type Variant } from './bench-settings';
import { type ProfileSummary, summariseProfile } from './cpu-profiles';
import { type BenchAgent, LIANLUO_NUMBERS, type LianluoServices } from './lianluo-services';
import { type ProcessGroups, type WindowUsage, UsageWindow, pidsNamed, quietMachine } from './process-usage';
import { type MetricsDelta, metricsDelta } from './service-metrics';
import { SippProcess } from './sipp-process';
import { type LoggedInvite, errorLines, failureCauses, finalStatistics, firstInvites, inviteToAnswerMs, responseTimesMs } from './sipp-traces';

/** Where a site's agent phones (one SIPp) listen. */
export interface PhoneSpot {
  readonly address: string;
  readonly port: number;
}

export interface PhaseContext {
  readonly settings: BenchSettings;
  readonly sites: Sites;
  readonly services: LianluoServices | undefined;
  readonly agents: readonly BenchAgent[];
  readonly phones: Readonly<Record<SiteName, PhoneSpot>>;
  /** Parent of each phase's SIPp folders. */
  readonly workDir: string;
  /** Where the services write their CPU profiles, when they do. */
  readonly profileDir: string | undefined;
}

export interface PhasePlan {
  /** Unique in the run (0-99): part of every calling number of the phase. */
  readonly index: number;
  readonly variant: Variant;
  readonly path: Path;
  readonly load: Load;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface PhaseResult extends PhasePlan {
  readonly attempted: number;
  readonly completed: number;
  readonly failed: number;
  /** SIPp's failure counters of the callers that are not zero, and the first lines of their error logs. */
  readonly callerFailures: Readonly<Record<string, number>>;
  readonly callerErrors: readonly string[];
  /** Failure counters of the agent phones (e.g. an unexpected CANCEL). */
  readonly agentPhoneFailures: Readonly<Record<string, number>>;
  /** Caller INVITE sent → 200 OK received, from the callers' message logs (µs timestamps). */
  readonly answerMs: Percentiles;
  /** The same as SIPp's response time 1 (-trace_rtt), whole milliseconds: a cross-check. */
  readonly answerMsFromRtt: Percentiles;
  /** Caller INVITE sent → the agent phone's INVITE received (both SIPp message logs), matched by calling number. */
  readonly agentInviteMs: Percentiles;
  /** Calls offered to each agent of the queue(s) in play (INVITEs at its phone). */
  readonly callsPerAgent: Readonly<Record<string, number>>;
  readonly usage: WindowUsage;
  /** How busy the machine was just before the phase, and how long the bench waited for it to calm down. */
  readonly before: { readonly waitedMs: number; readonly busyPercent: number };
  /**
   * CPU seconds the machine spent on anything but this bench's processes during the phase:
   * /proc/stat's busy time less theirs, at least 0. Approximate: in this VM /proc/stat
   * loses ticks, and at low load reads below the processes' own counters.
   */
  readonly otherCpuSeconds: number;
  /** Our services' error counters, ivr outcomes and handler times over the phase (ours only). */
  readonly metrics: MetricsDelta | undefined;
  /** Channels still up at either site 60 s after the callers ended (hung up before the next phase). */
  readonly leftoverChannels: number;
  /** Where each service's CPU went (BENCH_CPU_PROFILE=1, ours only). */
  readonly profiles: Readonly<Record<string, ProfileSummary>>;
  /** Services that died during the phase (started again for the next one), with the end of their output. */
  readonly servicesDied: readonly { name: string; lastOutput: string }[];
}

/** Who calls in a variant: from which site, to which site's queue, with which share of the load. */
const CALLERS: Readonly<Record<Variant, readonly { site: SiteName; queueSite: SiteName; share: number }[]>> = {
  local: [
    { site: 'bj', queueSite: 'bj', share: 0.5 },
    { site: 'sz', queueSite: 'sz', share: 0.5 },
  ],
  cross: [{ site: 'bj', queueSite: 'sz', share: 1 }],
};

const SETTLE_TIMEOUT_MS = 60_000;
/** Measured after the last channel is gone too: what a hang-up still sets off (events, timers). */
const TAIL_MS = 1_000;

export function queueSitesOf(variant: Variant): SiteName[] {
  return [...new Set(CALLERS[variant].map((caller) => caller.queueSite))];
}

export async function runPhase(context: PhaseContext, plan: PhasePlan): Promise<PhaseResult> {
  const { settings, sites, services } = context;
  const name = `${String(plan.index).padStart(2, '0')}-${plan.variant}-${plan.path}-${plan.load.ratePerSecond}cps`;
  const workDir = join(context.workDir, name);
  await settle(sites);
  const before = await quietMachine(settings.quietBusyPercent, settings.quietWaitMs);

  // Both phones, or neither: one that started is stopped when the other cannot.
  const starting = (['bj', 'sz'] as const).map((site) =>
      SippProcess.start({
        scenario: 'agent-phones.xml',
        workDir: join(workDir, `phones-${site}`),
        localAddress: context.phones[site].address,
        localPort: context.phones[site].port,
        variables: { ring_ms: settings.ringMs, hold_ms: settings.holdMs },
        maxConcurrentCalls: 10_000,
        timeoutMs: 3_600_000,
      }),
  );
  const started = await Promise.allSettled(starting);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.stop() : undefined)));
    throw failed.reason;
  }
  const phones = started.map((outcome) => (outcome as PromiseFulfilledResult<SippProcess>).value);
  const callerPids: number[] = [];
  const groups: ProcessGroups = {
    asterisk: { bj: () => pidList(sites.bj.pid), sz: () => pidList(sites.sz.pid) },
    services: Object.fromEntries((services?.services ?? []).map((service) => [service.name, () => [service.pid]])),
    infra: { 'nats-server': () => pidsNamed('nats-server'), 'redis-server': () => pidsNamed('redis-server'), postgres: () => pidsNamed('postgres') },
    sipp: { callers: () => callerPids, phones: () => phones.flatMap((phone) => pidList(phone.pid)) },
    bench: { bench: () => [process.pid] },
  };

  const metricsBefore = await services?.metrics();
  const profiling = context.profileDir !== undefined && services !== undefined && plan.path === 'lianluo';
  const profilesBefore = profiling ? await profileFiles(context.profileDir as string) : [];
  if (profiling) services.toggleProfilers();
  const usageWindow = new UsageWindow(groups);
  const durationMs = (plan.load.calls / plan.load.ratePerSecond) * 1000;
  const callers = await Promise.all(
    CALLERS[plan.variant].map(async (caller) =>
      SippProcess.start({
        scenario: 'caller.xml',
        workDir: join(workDir, `callers-${caller.site}`),
        target: sites[caller.site].sipTarget,
        service: (plan.path === 'app_queue' ? APP_QUEUE_NUMBERS : LIANLUO_NUMBERS)[caller.queueSite],
        localAddress: '127.0.0.1',
        localPort: await freePort('127.0.0.1'),
        keys: { caller_prefix: callerPrefix(plan.index, caller.site) },
        ratePerSecond: plan.load.ratePerSecond * caller.share,
        calls: Math.round(plan.load.calls * caller.share),
        maxConcurrentCalls: 5_000,
        timeoutMs: durationMs + 120_000,
      }),
    ),
  );
  callerPids.push(...callers.flatMap((caller) => pidList(caller.pid)));
  await Promise.all(callers.map((caller) => caller.done));
  const leftoverChannels = await settle(sites);
  await sleep(TAIL_MS);
  const usage = usageWindow.stop();
  if (profiling) services.toggleProfilers();
  const metricsAfter = await services?.metrics();
  const profiles = profiling ? await newProfiles(context.profileDir as string, profilesBefore, services.services.length) : {};
  await Promise.all(phones.map((phone) => phone.stop()));
  const servicesDied = (await services?.restartExited()) ?? [];

  // ---- what SIPp saw
  const callerStats = await Promise.all(callers.map((caller) => finalStatistics(caller.file('stats.csv'))));
  const sum = (column: string) => callerStats.reduce((total, stats) => total + Number(stats[column] ?? 0), 0);
  const callerFailures = mergeCounts(callerStats.map(failureCauses));
  const agentPhoneFailures = mergeCounts(await Promise.all(phones.map(async (phone) => failureCauses(await finalStatistics(phone.file('stats.csv'))))));
  const callerErrors = (await Promise.all(callers.map((caller) => errorLines(caller.file('errors.log'))))).flat();
  const answerMs = percentiles((await Promise.all(callers.map((caller) => inviteToAnswerMs(caller.file('messages.log'))))).flat());
  const answerMsFromRtt = percentiles((await Promise.all(callers.map(async (caller) => responseTimesMs(await caller.rttFile())))).flat());
  const callerInvites = (await Promise.all(callers.map((caller) => firstInvites(caller.file('messages.log'), 'sent')))).flat();
  const agentInvites = (await Promise.all(phones.map((phone) => firstInvites(phone.file('messages.log'), 'received')))).flat();

  const inScope = context.agents.filter((agent) => queueSitesOf(plan.variant).includes(agent.site));
  const callsPerAgent: Record<string, number> = Object.fromEntries(inScope.map((agent) => [agent.extension, 0]));
  for (const invite of agentInvites) callsPerAgent[invite.requestUser] = (callsPerAgent[invite.requestUser] ?? 0) + 1;

  return {
    ...plan,
    attempted: sum('TotalCallCreated'),
    completed: sum('SuccessfulCall(C)'),
    failed: sum('FailedCall(C)'),
    callerFailures,
    callerErrors,
    agentPhoneFailures,
    answerMs,
    answerMsFromRtt,
    agentInviteMs: percentiles(inviteToInviteMs(callerInvites, agentInvites)),
    callsPerAgent,
    usage,
    before,
    otherCpuSeconds: Math.max(0, usage.machineBusyCpuSeconds - Object.values(usage.groups).reduce((total, group) => total + group.cpuSeconds, 0)),
    metrics: metricsBefore && metricsAfter ? metricsDelta(metricsBefore, metricsAfter) : undefined,
    leftoverChannels,
    profiles,
    servicesDied,
  };
}

async function profileFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.cpuprofile'));
}

/** The profiles written since `before` (one per service, named `<service>-<n>.cpuprofile`), summarised. */
async function newProfiles(dir: string, before: readonly string[], expected: number): Promise<Record<string, ProfileSummary>> {
  let written: string[] = [];
  for (let attempt = 0; attempt < 100 && written.length < expected; attempt++) {
    await sleep(100);
    written = (await profileFiles(dir)).filter((file) => !before.includes(file));
  }
  const summaries: Record<string, ProfileSummary> = {};
  for (const file of written) summaries[file.replace(/-\d+\.cpuprofile$/, '')] = await summariseProfile(join(dir, file));
  return summaries;
}

/** Calling numbers `9<phase><site>…`: unique in the run, so an agent's INVITE finds its caller. */
function callerPrefix(index: number, site: SiteName): string {
  return `9${String(index).padStart(2, '0')}${site === 'bj' ? 1 : 2}`;
}

/** For each caller whose number reached an agent phone: its INVITE to the first agent INVITE for it. */
function inviteToInviteMs(callerInvites: readonly LoggedInvite[], agentInvites: readonly LoggedInvite[]): number[] {
  const firstAtAgent = new Map<string, number>();
  for (const invite of agentInvites) {
    const seen = firstAtAgent.get(invite.fromUser);
    if (seen === undefined || invite.atMs < seen) firstAtAgent.set(invite.fromUser, invite.atMs);
  }
  return callerInvites.flatMap((invite) => {
    const atAgent = firstAtAgent.get(invite.fromUser);
    return atAgent === undefined ? [] : [atAgent - invite.atMs];
  });
}

/** Nearest-rank percentiles. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

function mergeCounts(parts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const part of parts) for (const [name, count] of Object.entries(part)) merged[name] = (merged[name] ?? 0) + count;
  return merged;
}

function pidList(pid: number | undefined): number[] {
  return pid === undefined ? [] : [pid];
}

async function activeChannels(site: AsteriskInstance): Promise<number> {
  return Number(/(\d+) active channels?/.exec(await site.cli('core show channels count'))?.[1] ?? 0);
}

/**
 * Waits until neither site has a channel up; after 60 s hangs up what is left (so the next
 * phase starts clean) and returns how many there were.
 */
async function settle(sites: Sites): Promise<number> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const up = (await activeChannels(sites.bj)) + (await activeChannels(sites.sz));
    if (up === 0) return 0;
    if (Date.now() > deadline) {
      await Promise.all([sites.bj, sites.sz].map((site) => site.cli('channel request hangup all')));
      return up;
    }
    await sleep(500);
  }
}
