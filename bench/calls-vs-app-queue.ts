// End-to-end load against Asterisk's own app_queue, side by side in one run (`npm run
// bench:calls`). Both Asterisk sites, BENCH_AGENTS agent phones (SIPp, half at each site),
// and for each load — new calls per second from a SIPp caller, a fixed number of calls —
// the same callers sent once to a native app_queue queue (leastrecent, no wrap-up) and
// once into our number (ivr flow straight to an acd queue, longest idle, no wrap-up), our
// services each in its own process. Two variants:
//
//   local  callers at both sites, each to its own site's queue and agents (half the rate each)
//   cross  callers at bj, queue and agents at sz, over the inter-site trunk
//
// Measured per phase: calls attempted / completed / failed (SIPp's statistics), caller
// INVITE → 200 OK (SIPp's response times) and caller INVITE → agent INVITE (timestamps of
// the callers' and agent phones' SIPp message logs), calls per agent, CPU seconds of both
// Asterisk processes and of our services (/proc/<pid>/stat), peak RSS. Printed as a table
// with ratios ours / app_queue; the whole result goes to bench/results/ as JSON.
import { ensureLocalInfra, freePort, startSites, type Sites, uniqueNamespace } from '@lianluo/testing';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type SiteName, installAppQueue } from './calls/app-queue-baseline';
import { benchSettings } from './calls/bench-settings';
import { type PhaseContext, type PhaseResult, runPhase } from './calls/call-phase';
import { failureLines, handlerLines, pathRatios, phaseTable, ratioLines, targetLines } from './calls/calls-report';
import { type BenchAgent, LianluoServices } from './calls/lianluo-services';

const RESULTS_DIR = resolve(__dirname, 'results');
/** Bound on the whole run; the default loads take about six minutes on two idle cores. */
const DEADLINE_MS = 30 * 60_000;
/** RTP ports per site: calls that queue up under load hold two channels each. */
const RTP_PORTS_PER_SITE = 4_000;
const RTP_FIRST_PORT = 20_000;

/** Agent phones: extensions 1101… at bj and 2101… at sz, all of a site in one SIPp. */
function benchAgents(count: number): BenchAgent[] {
  return (['bj', 'sz'] as const).flatMap((site) =>
    Array.from({ length: count / 2 }, (_, i) => {
      const extension = String((site === 'bj' ? 1101 : 2101) + i);
      return { agentId: `${site}-${extension}`, site, extension };
    }),
  );
}

async function main() {
  const settings = benchSettings();
  const started = new Date();
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const step of cleanup.splice(0).reverse()) await Promise.resolve(step()).catch((error: Error) => console.error(`cleanup: ${error.message}`));
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
  const watchdog = setTimeout(() => {
    console.error(`calls bench: no end within ${DEADLINE_MS / 60_000} min`);
    void cleanUp().finally(() => process.exit(1));
  }, DEADLINE_MS);

  try {
    await ensureLocalInfra();
    const namespace = uniqueNamespace('callbench');
    const agents = benchAgents(settings.agents);
    const extensions = (site: SiteName) => agents.filter((agent) => agent.site === site).map((agent) => agent.extension);
    const phones = {
      bj: { address: '127.0.3.1', port: await freePort('127.0.3.1') },
      sz: { address: '127.0.3.2', port: await freePort('127.0.3.2') },
    };
    const sites: Sites = await startSites({
      customise: (site) => {
        const name = site.name as SiteName;
        const rtpStart = RTP_FIRST_PORT + (name === 'bj' ? 0 : RTP_PORTS_PER_SITE);
        return {
          ...site,
          rtpStart,
          rtpEnd: rtpStart + RTP_PORTS_PER_SITE - 1,
          agents: extensions(name).map((extension) => ({
            extension,
            password: `x-${extension}`,
            staticContact: `sip:${extension}@${phones[name].address}:${phones[name].port}`,
          })),
        };
      },
    });
    cleanup.push(() => sites.remove());
    await installAppQueue(sites, { bj: extensions('bj'), sz: extensions('sz') });

    const keptDir = join(RESULTS_DIR, `calls-${stamp(started)}`);
    const profileDir = settings.cpuProfiles ? join(keptDir, 'profiles') : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const services = settings.paths.includes('lianluo') ? await LianluoServices.start(namespace, sites, agents, settings.serviceLogLevel, profileDir) : undefined;
    if (services) cleanup.push(() => services.remove());

    const workDir = settings.keepTraces ? keptDir : await mkdtemp(join(tmpdir(), 'lianluo-calls-bench-sipp-'));
    await mkdir(workDir, { recursive: true });
    if (!settings.keepTraces) cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const context: PhaseContext = { settings, sites, services, agents, phones, workDir, profileDir };

    console.log(
      `calls bench: ${settings.agents} agent phones (${settings.agents / 2} per site), ring ${settings.ringMs} ms, hold ${settings.holdMs} ms; ` +
        `paths ${settings.paths.join(', ')}; namespace ${namespace}; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    let index = 0;
    const phases: PhaseResult[] = [];
    let stoppedBy: Error | undefined;
    try {
      if (settings.warmUpCalls > 0) {
        for (const path of settings.paths) {
          const warmUp = await runPhase(context, { index: index++, variant: 'local', path, load: { ratePerSecond: 10, calls: settings.warmUpCalls } });
          console.log(`  warm-up ${path}: ${warmUp.completed} of ${warmUp.load.calls} calls completed`);
        }
      }
      for (const variant of settings.variants) {
        for (const load of variant === 'local' ? settings.localLoads : settings.crossLoads) {
          for (const path of settings.paths) {
            const phase = await runPhase(context, { index: index++, variant, path, load });
            phases.push(phase);
            printPhase(phase);
          }
        }
      }
    } catch (error) {
      // What was measured is still reported.
      stoppedBy = error as Error;
      console.error(`calls bench stopped: ${stoppedBy.stack ?? stoppedBy.message}`);
      process.exitCode = 1;
    }

    const ratios = pathRatios(phases);
    console.log(`\n${phaseTable(phases)}\n`);
    console.log('ratios (ours / app_queue):');
    ratioLines(ratios).forEach((line) => console.log(line));
    console.log('targets:');
    targetLines(phases, ratios).forEach((line) => console.log(line));
    const failures = failureLines(phases);
    if (failures.length > 0) {
      console.log('failures and error counters:');
      failures.forEach((line) => console.log(line));
    }

    await mkdir(RESULTS_DIR, { recursive: true });
    const resultFile = join(RESULTS_DIR, `calls-${stamp(started)}.json`);
    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageAtEnd: loadavg(), node: process.version, sipp: sippVersion() };
    await writeFile(
      resultFile,
      JSON.stringify({ startedAt: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, machine, settings, phases, ratios, stoppedBy: stoppedBy?.message }, null, 2),
    );
    console.log(`\nwhole bench ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s; result in ${relative(process.cwd(), resultFile)}`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

/** One line per phase as it ends; for ours, CPU per process and the busiest message handlers. */
function printPhase(phase: PhaseResult): void {
  const { usage } = phase;
  console.log(
    `  ${phase.variant} ${phase.path} ${phase.load.ratePerSecond} cps: ${phase.completed} of ${phase.load.calls} completed, ${phase.failed} failed; ` +
      `p99 INVITE→agent INVITE ${phase.agentInviteMs.p99.toFixed(1)} ms; ${usage.seconds.toFixed(1)} s; ` +
      `machine ${((usage.machineBusyCpuSeconds / usage.machineCpuSeconds) * 100).toFixed(0)} % busy`,
  );
  const cpu = (group: string) =>
    Object.entries(usage.groups[group]?.cpuSecondsByMember ?? {})
      .map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`)
      .join(', ');
  if (phase.path === 'lianluo') {
    console.log(`      CPU s: ${cpu('services')}; Asterisk ${cpu('asterisk')}`);
    handlerLines(phase).forEach((line) => console.log(line));
    for (const [service, profile] of Object.entries(phase.profiles)) {
      const shares = (list: readonly { where: string; share: number }[]) => list.slice(0, 6).map((p) => `${p.where} ${(p.share * 100).toFixed(0)} %`).join(', ');
      console.log(`      profile ${service} (${(profile.busyMs / 1000).toFixed(1)} s busy): ${shares(profile.byPackage)}`);
      console.log(`        functions: ${shares(profile.byFunction)}`);
    }
  }
  for (const died of phase.servicesDied) console.log(`      ${died.name} DIED during the phase (started again); its last output:\n${died.lastOutput}`);
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
}

function sippVersion(): string {
  try {
    return /SIPp v\S+/.exec(execFileSync('sipp', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))?.[0] ?? '';
  } catch (error) {
    // `sipp -v` exits 99 after printing its version.
    return /SIPp v\S+/.exec(String((error as { stdout?: string }).stdout ?? ''))?.[0] ?? '';
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
