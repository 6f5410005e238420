// Cost of the media gateway over Asterisk's own REST interface, under load: BENCH_CALLS
// concurrent trunk calls (SIPp) in site bj, each with an agent leg (a SIPp phone), and one
// command in flight per call at once. For each command we time the round trip an IVR or
// acd sees (CommandClient → NATS → gateway → ARI → reply) and, in the same run, the one ARI
// request that command makes, sent straight to Asterisk with node:http (the HTTP stack
// under the gateway's ari-client too) over keep-alive connections:
//
//   answer  POST /ari/channels/{id}/answer            on an answered channel (the first answer
//                                                     waits up to 500 ms for caller media in
//                                                     Asterisk, so it is set-up, not measured)
//   play    POST /ari/channels/{id}/play?media=…      sound:beep, each one stopped and its
//                                                     playback_finished awaited before the next
//   bridge  POST /ari/bridges/{id}/addChannel          caller and agent leg into the call's bridge:
//           ?channel={caller},{leg}                   what bridgeLegs does once the bridge exists
//                                                     (the first one, which creates it, is set-up);
//                                                     before each turn both are taken out again
//                                                     with removeChannel, untimed
//
// The gateway and the raw requests take turns, in alternating order per round, on the same
// calls. Printed: p50 and p99 of each, and their ratios (lower is better, 1.00 = no cost).
// The gateway runs in this process, as in the e2e tests, from its build (dist/): tsx has no
// decorator metadata, which Nest's injection needs.
import 'reflect-metadata';
import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { loadConfig } from '@lianluo/config';
import { type CallRef, CallCommands, type CallPlaybackFinished, type CallStarted, type CommandDefinition, ErrorKind, type ResultOf } from '@lianluo/contracts';
import { CommandClient, MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { startTracing } from '@lianluo/observability';
import {
  type AsteriskInstance,
  type SippRun,
  type Sites,
  ensureLocalInfra,
  freePort,
  shippedDtmfPcap,
  startSipp,
  startSippUas,
  startSites,
  uniqueNamespace,
} from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AriConnection } from '../services/media-gateway/dist/ari/ari-connection';
import { startMediaGateway } from '../services/media-gateway/dist/media-gateway.app';
import { mediaGatewayConfigSchema } from '../services/media-gateway/dist/media-gateway.config';
import { CallEventsRecorder } from '../services/media-gateway/test/call-events.recorder';

/** Calls up at once. A test site has 100 RTP ports: 2 channels × 2 ports per call, so at most 24. */
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
/** Timed rounds per command; each round sends one command per call through the gateway and one raw. */
const ROUNDS = Number(process.env.BENCH_CALL_ROUNDS ?? 50);
if (!(CALLS >= 1 && CALLS <= 24 && ROUNDS >= 1)) throw new Error(`BENCH_CALLS must be 1..24 and BENCH_CALL_ROUNDS at least 1 (got ${CALLS}, ${ROUNDS})`);
const AGENT = '1001';
const COMMAND_TIMEOUT_MS = 5_000;
/** Bound on the whole run (SIPp's too); the callers' scenario also waits at most 120 s for our BYE. */
const DEADLINE_MS = 180_000;

type Side = 'gateway' | 'raw';
type Samples = Record<Side, number[]>;

/**
 * ARI's REST interface straight from node:http, the stack the gateway's ari-client also sends
 * with, over one keep-alive connection per call in flight: the baseline.
 */
class RawAri {
  private readonly authorization: string;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CALLS, timeout: 10_000 });

  constructor(private readonly site: AsteriskInstance) {
    this.authorization = 'Basic ' + Buffer.from(`${site.ariUser}:${site.ariPassword}`).toString('base64');
  }

  send(method: 'POST' | 'DELETE', path: string, query: Record<string, string> = {}): Promise<void> {
    const url = `${this.site.ariUrl}/ari${path}?${new URLSearchParams(query)}`;
    return new Promise((resolve, reject) => {
      const sent = request(url, { method, agent: this.agent, headers: { authorization: this.authorization } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => ((response.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${method} ${path}: HTTP ${response.statusCode} ${body}`))));
      });
      sent.on('error', reject);
      sent.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One call of the bench, with what the commands gave back. */
interface BenchCall {
  readonly ref: CallRef;
  legId: string;
  bridgeId: string;
}

/** Sends each command both ways and keeps what failed for the report, so one failure costs no figures. */
class Bench {
  private readonly failures: string[] = [];

  constructor(
    private readonly client: CommandClient,
    private readonly ari: RawAri,
  ) {}

  get failed(): readonly string[] {
    return this.failures;
  }

  /** A call command through NATS and the gateway; `what` names it in the report and makes its command id. */
  async command<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    call: BenchCall,
    what: string,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'call' | '$typeName'> = {} as never,
    timeoutMs = COMMAND_TIMEOUT_MS,
  ): Promise<ResultOf<Rep> | undefined> {
    const request = create(definition.request, { ...fields, commandId: `${call.ref.callId}:${what}`, call: call.ref } as unknown as MessageInitShape<Req>);
    const outcome = await this.client.request(definition, request, { timeoutMs });
    if (outcome.ok) return outcome.value;
    this.failures.push(`${what} on ${call.ref.callId}: ${ErrorKind[outcome.error.kind] ?? outcome.error.kind} ${outcome.error.message}`);
    return undefined;
  }

  /** The same ARI request sent straight to Asterisk. */
  async raw(method: 'POST' | 'DELETE', path: string, query: Record<string, string> = {}): Promise<boolean> {
    try {
      await this.ari.send(method, path, query);
      return true;
    } catch (error) {
      this.failures.push((error as Error).message);
      return false;
    }
  }

  /**
   * Rounds of one command on every call at once, through the gateway and raw in turn;
   * `before` resets the calls (untimed) before each side's turn, `after` cleans up after it.
   * Round 0 is not timed: it opens each side's HTTP connections to Asterisk, and a burst of
   * new connections can outrun Asterisk's listen backlog (10) and wait for a SYN retry.
   */
  async rounds(
    calls: readonly BenchCall[],
    steps: {
      before?: () => Promise<void>;
      gateway: (call: BenchCall, round: number) => Promise<unknown>;
      raw: (call: BenchCall, round: number) => Promise<unknown>;
      after?: (side: Side) => Promise<void>;
    },
  ): Promise<Samples> {
    const samples: Samples = { gateway: [], raw: [] };
    for (let round = 0; round <= ROUNDS; round++) {
      const order: Side[] = round % 2 === 0 ? ['gateway', 'raw'] : ['raw', 'gateway'];
      for (const side of order) {
        await steps.before?.();
        const run = steps[side];
        await Promise.all(
          calls.map(async (call) => {
            const started = performance.now();
            await run(call, round);
            if (round > 0) samples[side].push(performance.now() - started);
          }),
        );
        await steps.after?.(side);
      }
    }
    return samples;
  }
}

/** What the bench waits for in the call events: calls that arrive, playbacks that end. */
class CallsSeen {
  readonly calls: CallRef[] = [];
  private readonly finished = new Set<string>();
  private readonly waiting = new Map<string, () => void>();
  private enough: { count: number; resolve: () => void } | undefined;

  constructor(recorder: CallEventsRecorder) {
    recorder.onEvent((event) => {
      if (event.name === 'started') {
        this.calls.push((event.message as CallStarted).call as CallRef);
        if (this.enough && this.calls.length >= this.enough.count) this.enough.resolve();
      } else if (event.name === 'playback_finished') {
        const { playbackId } = event.message as CallPlaybackFinished;
        this.finished.add(playbackId);
        this.waiting.get(playbackId)?.();
      }
    });
  }

  /** Resolves once `count` calls have started; rejects with SIPp's errors if the callers end first. */
  arrived(count: number, callers: SippRun): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.enough = { count, resolve };
      void callers.done.then((result) => reject(new Error(`SIPp callers ended after ${this.calls.length} of ${count} calls:\n${result.errors || result.stderr}`)));
    });
  }

  playbackFinished(playbackId: string): Promise<void> {
    if (this.finished.has(playbackId)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(playbackId, resolve));
  }
}

async function main() {
  const namespace = uniqueNamespace('bench');
  const started = performance.now();
  // Undone in reverse order, once, however the run ends.
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const step of cleanup.splice(0).reverse()) await Promise.resolve(step()).catch((error: Error) => console.error(`cleanup: ${error.message}`));
    })());
  // `on`, not `once`: the gateway's Nest shutdown hooks re-raise the signal when they are done,
  // which would otherwise end the process before Asterisk's folders and the streams are gone.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  const watchdog = setTimeout(() => {
    console.error(`media-gateway bench: no end within ${DEADLINE_MS / 1000} s (an event or a reply never came)`);
    void cleanUp().finally(() => process.exit(1));
  }, DEADLINE_MS);

  try {
    await ensureLocalInfra();
    startTracing({ serviceName: 'media-gateway', site: 'bj' });

    // The agent phone takes every leg at once; it answers at once and talks until we hang up.
    const agentPhone = await startSippUas({ service: AGENT, calls: CALLS, timeoutMs: DEADLINE_MS });
    cleanup.push(() => agentPhone.stop());
    const sites: Sites = await startSites({
      customise: (site) => (site.name === 'bj' ? { ...site, agents: [{ extension: AGENT, password: `x-${AGENT}`, staticContact: agentPhone.contact() }] } : site),
    });
    cleanup.push(() => sites.remove());

    const gateway: INestApplication = await startMediaGateway(
      loadConfig(mediaGatewayConfigSchema, {
        SITE: 'bj',
        ARI_URL: sites.bj.ariUrl,
        ARI_USER: sites.bj.ariUser,
        ARI_PASSWORD: sites.bj.ariPassword,
        ARI_APP: sites.bj.site.stasisApp,
        NATS_NAMESPACE: namespace,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(await freePort()),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      }),
    );
    cleanup.push(() => gateway.close());
    const ariConnection = gateway.get(AriConnection);
    if (!ariConnection.isConnected) await once(ariConnection, 'connected');

    const observer = await MessagingConnection.connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', namespace, connectionName: 'bench', queueGroup: 'bench' });
    cleanup.push(async () => {
      await deleteNamespaceStreams(observer);
      await observer.close();
    });
    const recorder = new CallEventsRecorder(observer, 'bench-recorder');
    const seen = new CallsSeen(recorder);
    await recorder.start();
    cleanup.push(() => recorder.stop());

    const client = new CommandClient(observer);
    const ari = new RawAri(sites.bj);
    cleanup.push(() => ari.close());
    const bench = new Bench(client, ari);

    console.log(`media-gateway bench: ${CALLS} concurrent calls at bj, ${ROUNDS} rounds × ${CALLS} commands per side, namespace ${namespace}`);
    const callers: SippRun = await startSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      calls: CALLS,
      values: { dtmf_pcap: shippedDtmfPcap('1'), pause_before_dtmf_ms: 200 },
      timeoutMs: DEADLINE_MS,
    });
    cleanup.push(() => callers.stop());
    await seen.arrived(CALLS, callers);
    const calls: BenchCall[] = seen.calls.slice(0, CALLS).map((ref) => ({ ref, legId: '', bridgeId: '' }));

    // ---- answer
    await Promise.all(calls.map((call) => bench.command(CallCommands.answer, call, 'answer')));
    const answer = await bench.rounds(calls, {
      gateway: (call, round) => bench.command(CallCommands.answer, call, `answer-${round}`),
      raw: (call) => bench.raw('POST', `/channels/${call.ref.callId}/answer`),
    });

    // ---- play
    let playbacks: string[] = [];
    const play = await bench.rounds(calls, {
      gateway: async (call, round) => {
        const played = await bench.command(CallCommands.play, call, `play-${round}`, { media: ['sound:beep'] });
        if (played) playbacks.push(played.playbackId);
      },
      raw: async (call, round) => {
        const playbackId = `${call.ref.callId}-raw-${round}`;
        if (await bench.raw('POST', `/channels/${call.ref.callId}/play`, { media: 'sound:beep', playbackId })) playbacks.push(playbackId);
      },
      after: async () => {
        const stopping = playbacks;
        playbacks = [];
        // A playback that already ended answers 404: what matters is its playback_finished.
        await Promise.all(stopping.map((playbackId) => ari.send('DELETE', `/playbacks/${playbackId}`).catch(() => undefined)));
        await Promise.all(stopping.map((playbackId) => seen.playbackFinished(playbackId)));
      },
    });

    // ---- bridge: every call gets its agent leg and its bridge, then the rounds
    await Promise.all(
      calls.map(async (call) => {
        const destination = { target: { case: 'agent', value: { site: 'bj', extension: AGENT } } } as const;
        call.legId = (await bench.command(CallCommands.originateLeg, call, 'originate', { destination, timeoutMs: 15_000 }, 20_000))?.legId ?? '';
        if (call.legId) call.bridgeId = (await bench.command(CallCommands.bridgeLegs, call, 'bridge', { legId: call.legId, endTogether: true }))?.bridgeId ?? '';
      }),
    );
    const bridgedCalls = calls.filter((call) => call.bridgeId);
    const members = (call: BenchCall) => ({ channel: `${call.ref.callId},${call.legId}` });
    const bridge = await bench.rounds(bridgedCalls, {
      before: async () => {
        await Promise.all(bridgedCalls.map((call) => bench.raw('POST', `/bridges/${call.bridgeId}/removeChannel`, members(call))));
      },
      gateway: (call, round) => bench.command(CallCommands.bridgeLegs, call, `bridge-${round}`, { legId: call.legId, endTogether: true }),
      raw: (call) => bench.raw('POST', `/bridges/${call.bridgeId}/addChannel`, members(call)),
    });

    // ---- hang up: callers and agent phone must all end cleanly
    await Promise.all(calls.map((call) => bench.command(CallCommands.hangUp, call, 'hangup')));
    const [callerResult, phoneResult] = await Promise.all([callers.done, agentPhone.done]);

    report('answer', answer);
    report('play', play);
    report('bridge', bridge);
    console.log(`  ${bridgedCalls.length} of ${CALLS} calls bridged; whole bench ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [who, result] of [['callers', callerResult], ['agent phone', phoneResult]] as const) {
      if (result.exitCode === 0) continue;
      console.error(`  SIPp ${who} exited ${result.exitCode}: ${(result.errors || result.stderr).split('\n').slice(0, 5).join('\n')}`);
      process.exitCode = 1;
    }
    if (bench.failed.length > 0) {
      console.error(`  ${bench.failed.length} commands failed, first ones:\n    ${bench.failed.slice(0, 10).join('\n    ')}`);
      process.exitCode = 1;
    }
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

function report(command: string, samples: Samples) {
  const gateway = percentiles(samples.gateway);
  const raw = percentiles(samples.raw);
  const ms = (value: number) => `${value.toFixed(2).padStart(7)} ms`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2).padStart(6)}×`;
  console.log(
    `  ${command.padEnd(7)} gateway p50 ${ms(gateway.p50)} p99 ${ms(gateway.p99)} | raw ARI p50 ${ms(raw.p50)} p99 ${ms(raw.p99)} | ratio p50 ${ratio(gateway.p50, raw.p50)} p99 ${ratio(gateway.p99, raw.p99)}  (n=${samples.gateway.length}/${samples.raw.length})`,
  );
}

/** Nearest-rank percentiles. */
function percentiles(values: readonly number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(50), p99: at(99) };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
