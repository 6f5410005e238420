// The whole path a caller takes, on real parts: two Asterisk sites (SIPp callers at bj, an
// agent phone at sz), both media gateways, acd, voicemail and this ivr, each in this process
// on one NATS namespace, with databases, Redis keys and recording folder of the run's own.
import { type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { loadConfig } from '@lianluo/config';
import { ALL_ACD_EVENTS, ALL_IVR_EVENTS, ALL_VOICEMAIL_EVENTS, AcdCommands, AgentKind, type CallRef, type EventDefinition } from '@lianluo/contracts';
import { CommandClient, EventConsumer, MessagingConnection } from '@lianluo/messaging';
import { type SpanExporter, startTracing } from '@lianluo/observability';
import {
  ServiceProcess,
  type SippResult,
  TEST_POSTGRES_SERVER,
  type Sites,
  createTestDatabase,
  dropTestDatabase,
  endTestPool,
  ensureLocalInfra,
  freePort,
  runSipp,
  serviceAuthEnv,
  shippedDtmfPcap,
  startSites,
  uniqueNamespace,
} from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { AcdTestClient, acdEnv, removeNamespace } from '../../acd/test/acd-harness';
import { startAcd } from '../../acd/src/acd.app';
import { acdConfigSchema } from '../../acd/src/acd.config';
import { CallsObserver, gatewayFor } from '../../media-gateway/test/e2e-harness';
import { VoicemailTestbed } from '../../voicemail/test/voicemail-harness';
import { startIvr } from '../src/ivr.app';
import { ivrConfigSchema } from '../src/ivr.config';

export const TENANT = 'demo';
/** The agent phone at sz, reached from bj over the inter-site trunk. */
export const AGENT_EXTENSION = '2001';

/** Events about a call: call and ivr events name it, acd events its contact (the call id). */
export const about = (call: CallRef) => (message: object) => {
  const m = message as { call?: CallRef; contact?: { contactId: string } };
  return m.call?.callId === call.callId || m.contact?.contactId === call.callId;
};

/** An agent phone of a site, played by a SIPp UAS on `port` at 127.0.0.1. */
export interface PhoneSpec {
  readonly site: 'bj' | 'sz';
  readonly extension: string;
}

export interface RecordedEvent {
  /** The subject's last token: `contact_offered`, `flow_ended`... */
  readonly name: string;
  readonly message: MessageShape<DescMessage> & Record<string, unknown>;
  /** The trace the event was published in. */
  readonly traceId: string | undefined;
}

/** Reads one domain's events from JetStream as reporting would; a test waits for the one it needs. */
export class EventsRecorder {
  readonly events: RecordedEvent[] = [];
  private waiters: { match: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];
  private readonly consumer: EventConsumer;

  constructor(connection: MessagingConnection, definitions: readonly EventDefinition[], durable: string) {
    this.consumer = new EventConsumer(connection, {
      durable,
      definitions,
      handler: (message, ctx) => {
        const event = { name: ctx.subject.split('.').pop() ?? '', message: message as RecordedEvent['message'], traceId: trace.getSpanContext(context.active())?.traceId };
        this.events.push(event);
        this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
      },
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** The first event named `name` that `where` accepts, now or when it comes; fails after `deadlineMs` naming what did come. */
  next<M = RecordedEvent['message']>(name: string, where: (message: object) => boolean = () => true, deadlineMs = 45_000): Promise<M> {
    const match = (e: RecordedEvent) => e.name === name && where(e.message);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen.message as M);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== match);
        reject(new Error(`no ${name} within ${deadlineMs} ms; saw ${this.events.map((e) => e.name).join(', ') || 'nothing'}`));
      }, deadlineMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e.message as M)) });
    });
  }
}

export class IvrStack {
  private constructor(
    readonly namespace: string,
    readonly sites: Sites,
    readonly apps: INestApplication[],
    readonly observer: CallsObserver,
    readonly acd: AcdTestClient,
    readonly acdEvents: EventsRecorder,
    readonly ivrEvents: EventsRecorder,
    readonly voicemailEvents: EventsRecorder,
    readonly voicemail: VoicemailTestbed,
    readonly voicemailUrl: string,
    readonly ivrUrl: string,
    readonly ivrPool: Pool,
    readonly flowsDir: string,
    /** Extension → the UDP port its SIPp phone must listen on. */
    readonly phonePorts: Readonly<Record<string, number>>,
    /** Where the PSTN behind bj's trunk must listen (a customer called back). */
    readonly pstnPort: number,
    private readonly ivrEnv: Record<string, string>,
  ) {}

  /**
   * Configures each agent (its phone at its site, one call at a time, in `queues`), logs it
   * in and makes it ready, one after the other: the first has been idle longest. `then`
   * runs after each (e.g. to start its phone).
   */
  async readyAgents(agents: readonly (PhoneSpec & { id: string })[], queues: readonly string[], then: (agent: PhoneSpec & { id: string }) => Promise<void> = async () => undefined): Promise<void> {
    for (const agent of agents) {
      await this.acd.ok(AcdCommands.upsertAgent, {
        agent: { agentId: agent.id, site: agent.site, kind: AgentKind.AGENT, phone: { case: 'extension', value: agent.extension }, capacity: { voice: 1 }, queues: [...queues] },
      });
      await this.acd.ok(AcdCommands.loginAgent, { agentId: agent.id });
      await this.acd.ok(AcdCommands.setAgentReady, { agentId: agent.id });
      await then(agent);
    }
  }

  /** An ivr replica as its own process (the built dist/main.js), to kill without warning. */
  async ivrProcess(extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const replica = new ServiceProcess(resolve(__dirname, '..', 'dist', 'main.js'), { ...this.ivrEnv, HTTP_PORT: String(await freePort()), ...extra });
    this.replicas.push(replica);
    return replica;
  }

  private readonly replicas: ServiceProcess[] = [];

  /** A SIPp caller at bj dialling `dnis` from `caller`, keying `dtmfPcap` from `digitsAfterMs` on: the call once it started, and the caller's run. */
  async call(dnis: string, caller: string, dtmfPcap = shippedDtmfPcap('#'), digitsAfterMs?: number): Promise<{ call: CallRef; sipp: Promise<SippResult> }> {
    const started = this.observer.nextCall();
    const sipp = runSipp({
      scenario: 'uac-speaker.xml',
      target: this.sites.bj.sipTarget,
      service: dnis,
      caller,
      keys: { dtmf_pcap: dtmfPcap },
      values: digitsAfterMs === undefined ? {} : { digits_after_ms: digitsAfterMs },
      timeoutMs: 90_000,
    });
    return { call: await started, sipp };
  }

  /**
   * Everything up; `flows` are written into the ivr's FLOWS_DIR (file name → YAML) before it
   * starts; `phones` are the agent phones each site knows (reached at a static contact);
   * `spanExporter` gets the spans of every service here as they end.
   */
  static async start(
    flows: Record<string, string>,
    phones: readonly PhoneSpec[] = [{ site: 'sz', extension: AGENT_EXTENSION }],
    options: { inProcessIvr?: boolean; spanExporter?: SpanExporter } = {},
  ): Promise<IvrStack> {
    await ensureLocalInfra();
    startTracing({ serviceName: 'ivr-e2e', spanExporter: options.spanExporter });
    const namespace = uniqueNamespace('ivre');
    const phonePorts: Record<string, number> = {};
    for (const phone of phones) phonePorts[phone.extension] = await freePort();
    // bj's trunk sends outbound calls (callbacks) to the PSTN, played by a SIPp phone here.
    const pstnPort = await freePort();
    const [sites, voicemail, flowsDir] = await Promise.all([
      startSites({
        customise: (site) => ({
          ...site,
          ...(site.name === 'bj' ? { trunkContact: `sip:127.0.0.1:${pstnPort}` } : {}),
          agents: phones
            .filter((phone) => phone.site === site.name)
            .map(({ extension }) => ({ extension, password: `x-${extension}`, staticContact: `sip:${extension}@127.0.0.1:${phonePorts[extension]}` })),
        }),
      }),
      VoicemailTestbed.create(),
      mkdtemp(join(tmpdir(), 'lianluo-ivr-flows-')),
      createTestDatabase(namespace),
      createTestDatabase(`${namespace}_ivr`),
    ]);
    for (const [file, yaml] of Object.entries(flows)) await writeFile(join(flowsDir, file), yaml);
    const ivrDatabase = `${TEST_POSTGRES_SERVER}/${namespace}_ivr`;
    const [vmPort, ivrPort] = [await freePort(), await freePort()];
    const recordings = { RECORDING_STORE: 'local', RECORDING_DIR: voicemail.recordingDir };
    const ivrEnv = {
      NATS_NAMESPACE: namespace,
      DATABASE_URL: ivrDatabase,
      DATABASE_POOL_SIZE: '4',
      FLOWS_DIR: flowsDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(ivrPort),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...serviceAuthEnv(),
    };
    const apps = await Promise.all([
      gatewayFor(sites.bj, namespace, recordings),
      gatewayFor(sites.sz, namespace, recordings),
      startAcd(loadConfig(acdConfigSchema, await acdEnv(namespace, { ACD_POSITION_INTERVAL_MS: '1000' }))),
      voicemail.start(namespace, { HTTP_PORT: String(vmPort), DEFAULT_GREETING: 'sound:vm-leavemsg', SILENCE_STOP_MS: '10000' }),
      ...(options.inProcessIvr === false ? [] : [startIvr(loadConfig(ivrConfigSchema, ivrEnv))]),
    ]);
    const observer = await CallsObserver.start(namespace);
    const recorders = [
      new EventsRecorder(observer.connection, ALL_ACD_EVENTS as readonly EventDefinition[], 'ivr-e2e-acd'),
      new EventsRecorder(observer.connection, ALL_IVR_EVENTS as readonly EventDefinition[], 'ivr-e2e-ivr'),
      new EventsRecorder(observer.connection, ALL_VOICEMAIL_EVENTS as readonly EventDefinition[], 'ivr-e2e-voicemail'),
    ] as const;
    await Promise.all(recorders.map((r) => r.start()));
    return new IvrStack(
      namespace,
      sites,
      apps,
      observer,
      new AcdTestClient(observer.connection, new CommandClient(observer.connection), TENANT),
      ...recorders,
      voicemail,
      `http://127.0.0.1:${vmPort}`,
      `http://127.0.0.1:${ivrPort}`,
      new Pool({ connectionString: ivrDatabase, max: 2, options: '-c search_path=ivr' }),
      flowsDir,
      phonePorts,
      pstnPort,
      ivrEnv,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.kill().catch(() => undefined)));
    await Promise.all([this.acdEvents.stop(), this.ivrEvents.stop(), this.voicemailEvents.stop()]);
    for (const app of this.apps.reverse()) await app.close();
    await endTestPool(this.ivrPool);
    await this.observer.close();
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: this.namespace, connectionName: 'ivr-e2e-cleanup', queueGroup: 'x' });
    await removeNamespace(this.namespace, connection);
    await dropTestDatabase(`${this.namespace}_ivr`);
    await this.voicemail.remove();
    await this.sites.remove();
    await rm(this.flowsDir, { recursive: true, force: true });
  }
}
