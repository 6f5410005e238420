// The calls bench's printout: a Markdown table of every phase (as bench/README.md keeps
// it), the ratios of our path to app_queue's at each load, and failures with their causes.
import { type Percentiles, type PhaseResult } from './call-phase';

export interface PathRatios {
  readonly variant: string;
  readonly ratePerSecond: number;
  /** Our p99 caller INVITE → agent INVITE over app_queue's, and the difference in ms. */
  readonly p99AgentInviteRatio: number;
  readonly p99AgentInviteDeltaMs: number;
  readonly p99AnswerRatio: number;
  /** Our services' CPU per completed call over Asterisk's per call with app_queue (the issue's target: ≤ 1.0). */
  readonly servicesCpuPerCallRatio: number;
  /** Everything our path burns per call (Asterisk + services) over Asterisk's with app_queue. */
  readonly totalCpuPerCallRatio: number;
  /** The same with NATS, Redis and PostgreSQL added to both sides (machine-wide processes, shared with whatever else runs). */
  readonly totalWithInfraCpuPerCallRatio: number;
}

const MB = 1024 * 1024;
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const triple = (p: Percentiles) => (p.count === 0 ? '–' : `${fixed(p.p50)} / ${fixed(p.p95)} / ${fixed(p.p99)}`);

export const cpuOf = (phase: PhaseResult, group: string) => phase.usage.groups[group]?.cpuSeconds ?? 0;
const perCallMs = (seconds: number, calls: number) => (calls > 0 ? (seconds / calls) * 1000 : Number.NaN);
const percentOf = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : Number.NaN);

export function phaseTable(phases: readonly PhaseResult[]): string {
  const header = [
    'variant',
    'path',
    'cps',
    'calls ok / failed',
    'INVITE→answer p50 / p95 / p99 ms',
    'INVITE→agent INVITE p50 / p95 / p99 ms',
    'calls per agent max / min',
    'CPU s Asterisk',
    'CPU s services',
    'CPU ms/call Asterisk + services',
    'CPU s NATS+Redis+PG',
    'peak RSS MB Asterisk / services',
    'machine busy % (others)',
  ];
  const rows = phases.map((phase) => {
    const perAgent = Object.values(phase.callsPerAgent);
    const asterisk = cpuOf(phase, 'asterisk');
    const services = cpuOf(phase, 'services');
    return [
      phase.variant,
      phase.path,
      String(phase.load.ratePerSecond),
      `${phase.completed} / ${phase.failed}`,
      triple(phase.answerMs),
      triple(phase.agentInviteMs),
      perAgent.length ? `${Math.max(...perAgent)} / ${Math.min(...perAgent)}` : '–',
      fixed(asterisk, 2),
      phase.path === 'lianluo' ? fixed(services, 2) : `(idle ${fixed(services, 2)})`,
      `${fixed(perCallMs(asterisk, phase.completed), 2)} + ${phase.path === 'lianluo' ? fixed(perCallMs(services, phase.completed), 2) : '0'}`,
      fixed(cpuOf(phase, 'infra'), 2),
      `${fixed((phase.usage.groups.asterisk?.peakRssBytes ?? 0) / MB, 0)} / ${phase.path === 'lianluo' ? fixed((phase.usage.groups.services?.peakRssBytes ?? 0) / MB, 0) : '–'}`,
      `${fixed(percentOf(phase.usage.machineBusyCpuSeconds, phase.usage.machineCpuSeconds), 0)} (${fixed(percentOf(phase.otherCpuSeconds, phase.usage.machineCpuSeconds), 0)})`,
    ];
  });
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Our path against app_queue's at each variant and rate both ran. */
export function pathRatios(phases: readonly PhaseResult[]): PathRatios[] {
  return phases
    .filter((phase) => phase.path === 'lianluo')
    .flatMap((ours) => {
      const theirs = phases.find((phase) => phase.path === 'app_queue' && phase.variant === ours.variant && phase.load.ratePerSecond === ours.load.ratePerSecond);
      if (!theirs) return [];
      const asteriskPerCall = perCallMs(cpuOf(theirs, 'asterisk'), theirs.completed);
      const theirInfraPerCall = perCallMs(cpuOf(theirs, 'infra'), theirs.completed);
      const ourPerCall = (group: string) => perCallMs(cpuOf(ours, group), ours.completed);
      return [
        {
          variant: ours.variant,
          ratePerSecond: ours.load.ratePerSecond,
          p99AgentInviteRatio: ours.agentInviteMs.p99 / theirs.agentInviteMs.p99,
          p99AgentInviteDeltaMs: ours.agentInviteMs.p99 - theirs.agentInviteMs.p99,
          p99AnswerRatio: ours.answerMs.p99 / theirs.answerMs.p99,
          servicesCpuPerCallRatio: ourPerCall('services') / asteriskPerCall,
          totalCpuPerCallRatio: (ourPerCall('services') + ourPerCall('asterisk')) / asteriskPerCall,
          totalWithInfraCpuPerCallRatio: (ourPerCall('services') + ourPerCall('asterisk') + ourPerCall('infra')) / (asteriskPerCall + theirInfraPerCall),
        },
      ];
    });
}

export function ratioLines(ratios: readonly PathRatios[]): string[] {
  return ratios.map(
    (r) =>
      `  ${r.variant.padEnd(5)} ${String(r.ratePerSecond).padStart(3)} cps  ours / app_queue: p99 INVITE→agent INVITE ${fixed(r.p99AgentInviteRatio, 2)}× ` +
      `(${r.p99AgentInviteDeltaMs >= 0 ? '+' : ''}${fixed(r.p99AgentInviteDeltaMs)} ms), p99 INVITE→answer ${fixed(r.p99AnswerRatio, 2)}×, ` +
      `CPU/call services ÷ Asterisk ${fixed(r.servicesCpuPerCallRatio, 2)}×, Asterisk + services ${fixed(r.totalCpuPerCallRatio, 2)}×, with NATS+Redis+PG ${fixed(r.totalWithInfraCpuPerCallRatio, 2)}×`,
  );
}

/** The targets, each met or missed, from the local (same-site) variant. */
export function targetLines(phases: readonly PhaseResult[], ratios: readonly PathRatios[]): string[] {
  const lines: string[] = [];
  const at50 = ratios.find((r) => r.variant === 'local' && r.ratePerSecond === 50);
  if (at50) {
    lines.push(`  ${at50.p99AgentInviteDeltaMs <= 20 ? 'met ' : 'MISS'}  p99 INVITE→agent INVITE at 50 cps ≤ app_queue's + 20 ms: ${at50.p99AgentInviteDeltaMs >= 0 ? '+' : ''}${fixed(at50.p99AgentInviteDeltaMs)} ms`);
  }
  for (const r of ratios.filter((ratio) => ratio.variant === 'local')) {
    lines.push(`  ${r.servicesCpuPerCallRatio <= 1 ? 'met ' : 'MISS'}  services' CPU per call ≤ 1.0× Asterisk's (app_queue) at ${r.ratePerSecond} cps: ${fixed(r.servicesCpuPerCallRatio, 2)}×`);
  }
  for (const phase of phases.filter((p) => p.load.ratePerSecond <= 50)) {
    if (phase.failed > 0 || phase.completed < phase.load.calls) {
      lines.push(`  MISS  no failed call at ${phase.load.ratePerSecond} cps (${phase.variant}, ${phase.path}): ${phase.failed} failed, ${phase.completed} of ${phase.load.calls} completed`);
    }
  }
  if (!lines.some((line) => line.includes('no failed call'))) lines.push('  met   no failed call at 20 and 50 cps on either path');
  return lines;
}

/** Each phase with failures, with what SIPp and our services counted. */
export function failureLines(phases: readonly PhaseResult[]): string[] {
  return phases
    .filter(
      (phase) =>
        phase.failed > 0 ||
        Object.keys(phase.agentPhoneFailures).length > 0 ||
        Object.keys(phase.metrics?.errors ?? {}).length > 0 ||
        phase.leftoverChannels > 0 ||
        phase.servicesDied.length > 0,
    )
    .flatMap((phase) => [
      `  ${phase.variant} ${phase.path} ${phase.load.ratePerSecond} cps: ${phase.failed} failed of ${phase.attempted}; callers ${JSON.stringify(phase.callerFailures)}, agent phones ${JSON.stringify(phase.agentPhoneFailures)}` +
        (phase.leftoverChannels ? `, ${phase.leftoverChannels} channels left up` : '') +
        phase.servicesDied.map((died) => `, ${died.name} died`).join(''),
      ...phase.callerErrors.slice(0, 3).map((line) => `      sipp: ${line.slice(0, 200)}`),
      ...Object.entries(phase.metrics?.errors ?? {}).map(([series, count]) => `      /metrics: ${series} +${count}`),
    ]);
}

/** Where our services spent their handler time in a phase, longest first. */
export function handlerLines(phase: PhaseResult, count = 6): string[] {
  return (phase.metrics?.handlers ?? [])
    .slice(0, count)
    .map((h) => `      ${h.handler.padEnd(52)} ${String(h.count).padStart(6)} × ${fixed(h.meanMs, 2).padStart(7)} ms = ${fixed(h.totalSeconds, 2)} s`);
}
