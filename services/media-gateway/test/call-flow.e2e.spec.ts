// End to end against real parts: SIPp calls a real Asterisk (site bj, in its chroot), our
// media gateway handles the call over ARI, and the test reads the call events from NATS
// JetStream and sends the commands an IVR would.
import 'reflect-metadata';
import { create, fromBinary } from '@bufbuild/protobuf';
import { type CallRef, CallCommands, type CallStarted, CollectEnd, ErrorKind } from '@lianluo/contracts';
import { type CommandOutcome, CommandClient, MessagingConnection, deleteNamespaceStreams, subjectOf } from '@lianluo/messaging';
import { loadConfig } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { type Sites, ensureLocalInfra, freePort, runSipp, shippedDtmfPcap, startSites, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { AriConnection } from '../src/ari/ari-connection';
import { startMediaGateway } from '../src/media-gateway.app';
import { mediaGatewayConfigSchema } from '../src/media-gateway.config';
import { CallEventsRecorder } from './call-events.recorder';

jest.setTimeout(90_000);

const namespace = uniqueNamespace('mg');
const TENANT = 'demo';

/** What the stand-in IVR got back from each command, per call. */
interface IvrTranscript {
  answer?: CommandOutcome<unknown>;
  play?: CommandOutcome<{ playbackId: string }>;
  collect?: CommandOutcome<{ digits: string; end: CollectEnd }>;
  silence?: CommandOutcome<{ digits: string; end: CollectEnd }>;
  hangUp?: CommandOutcome<unknown>;
}

describe('media gateway with real Asterisk, SIPp and NATS', () => {
  let sites: Sites;
  let app: INestApplication;
  let observer: MessagingConnection;
  let recorder: CallEventsRecorder;
  let client: CommandClient;
  let baseUrl: string;
  const transcripts = new Map<string, IvrTranscript>();

  beforeAll(async () => {
    await ensureLocalInfra();
    startTracing({ serviceName: 'media-gateway-e2e' });
    sites = await startSites();
    const config = loadConfig(mediaGatewayConfigSchema, {
      SITE: 'bj',
      ARI_URL: sites.bj.ariUrl,
      ARI_USER: sites.bj.ariUser,
      ARI_PASSWORD: sites.bj.ariPassword,
      ARI_APP: sites.bj.site.stasisApp,
      // Trunk calls must take the tenant their endpoint names, not this one.
      DEFAULT_TENANT: 'nobody',
      NATS_NAMESPACE: namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const ari = { connected: undefined as Promise<unknown> | undefined };
    app = await startMediaGateway(config);
    const connection = app.get(AriConnection);
    ari.connected = connection.isConnected ? Promise.resolve() : once(connection, 'connected');
    await ari.connected;
    baseUrl = await app.getUrl();

    observer = await MessagingConnection.connect({
      servers: 'nats://127.0.0.1:4222',
      namespace,
      connectionName: 'e2e-ivr',
      queueGroup: 'e2e-ivr',
    });
    client = new CommandClient(observer);
    recorder = new CallEventsRecorder(observer);
    recorder.onEvent((event) => {
      if (event.name === 'started') void playIvr((event.message as CallStarted).call as CallRef);
    });
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    if (observer) {
      await deleteNamespaceStreams(observer);
      await observer.close();
    }
    await sites?.remove();
  });

  /** The IVR's part: answer, prompt, one digit, a silent collect that times out, hang up. */
  async function playIvr(call: CallRef) {
    const t: IvrTranscript = {};
    transcripts.set(call.callId, t);
    const base = { call };
    t.answer = await client.request(CallCommands.answer, create(CallCommands.answer.request, { ...base, commandId: `${call.callId}:answer` }), { timeoutMs: 5_000 });
    t.play = await client.request(
      CallCommands.play,
      create(CallCommands.play.request, { ...base, commandId: `${call.callId}:play`, media: ['sound:hello-world'] }),
      { timeoutMs: 5_000 },
    );
    const collect = (commandId: string, firstDigitTimeoutMs: number) =>
      client.request(
        CallCommands.collectDigits,
        create(CallCommands.collectDigits.request, { ...base, commandId, maxDigits: 1, firstDigitTimeoutMs, interDigitTimeoutMs: 2_000 }),
        { timeoutMs: firstDigitTimeoutMs + 5_000 },
      );
    t.collect = await collect(`${call.callId}:collect`, 20_000);
    t.silence = await collect(`${call.callId}:silence`, 300);
    t.hangUp = await client.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { ...base, commandId: `${call.callId}:hangup` }), { timeoutMs: 5_000 });
  }

  async function placeCall(digit: string) {
    const sipp = await runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      values: { dtmf_pcap: shippedDtmfPcap(digit), pause_before_dtmf_ms: 1_000 },
      timeoutMs: 40_000,
    });
    return sipp;
  }

  it('answers a trunk call, plays a prompt, collects its RFC 2833 digit and hangs up, all on one trace', async () => {
    const sipp = await placeCall('1');
    expect({ exitCode: sipp.exitCode, errors: sipp.errors }).toEqual({ exitCode: 0, errors: '' });

    const started = await recorder.next('started');
    const callId = started.callId;
    await recorder.next('hungup', callId);
    const events = recorder.of(callId);
    const names = events.map((e) => e.name);
    expect(names[0]).toBe('started');
    expect(names.indexOf('answered')).toBeGreaterThan(0);
    expect(names.indexOf('dtmf')).toBeGreaterThan(names.indexOf('answered'));
    expect(names[names.length - 1]).toBe('hungup');

    expect(started.message).toMatchObject({ call: { tenant: TENANT, site: 'bj', callId }, ani: '13800138000', dnis: '100', endpoint: 'trunk' });
    expect(events.find((e) => e.name === 'dtmf')?.message).toMatchObject({ digit: '1' });
    expect(events.find((e) => e.name === 'hungup')?.message).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });

    const traceIds = new Set(events.map((e) => e.traceId));
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
    expect([...traceIds][0]).not.toBe('0'.repeat(32));

    const t = transcripts.get(callId);
    expect(t?.answer?.ok).toBe(true);
    expect(t?.play).toMatchObject({ ok: true, value: { playbackId: expect.any(String) } });
    expect(t?.collect).toMatchObject({ ok: true, value: { digits: '1', end: CollectEnd.MAX_DIGITS } });
    expect(t?.silence).toMatchObject({ ok: true, value: { digits: '', end: CollectEnd.FIRST_DIGIT_TIMEOUT } });
    expect(t?.hangUp?.ok).toBe(true);
  });

  it('answers garbage on a command subject with a typed error, counts it, and keeps serving', async () => {
    const rejectedBefore = await rejectedCount();
    const reply = await observer.nc.request(subjectOf(namespace, TENANT, 'call', 'command', 'answer'), new TextEncoder().encode('not a command'), {
      timeout: 5_000,
    });
    expect(fromBinary(CallCommands.answer.reply, reply.data).outcome).toMatchObject({
      case: 'error',
      value: { kind: ErrorKind.INVALID_ARGUMENT },
    });
    expect(await rejectedCount()).toBe(rejectedBefore + 1);

    const gone = await client.request(
      CallCommands.answer,
      create(CallCommands.answer.request, { commandId: 'no-such-call', call: { tenant: TENANT, site: 'bj', callId: 'no-such-call' } }),
      { timeoutMs: 5_000 },
    );
    expect(gone).toMatchObject({ ok: false, error: { kind: ErrorKind.GONE } });
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
  });

  it('takes calls again after Asterisk is killed and restarted', async () => {
    const ari = app.get(AriConnection);
    const reconnected = once(ari, 'connected');
    await sites.bj.kill();
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(503);
    await sites.bj.start();
    await reconnected;
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);

    const before = new Set(recorder.events.filter((e) => e.name === 'started').map((e) => e.callId));
    const sipp = await placeCall('5');
    expect({ exitCode: sipp.exitCode, errors: sipp.errors }).toEqual({ exitCode: 0, errors: '' });
    const started = recorder.events.find((e) => e.name === 'started' && !before.has(e.callId));
    expect(started).toBeDefined();
    await recorder.next('hungup', started?.callId);
    expect(transcripts.get(started?.callId ?? '')?.collect).toMatchObject({ ok: true, value: { digits: '5' } });
  });

  async function rejectedCount(): Promise<number> {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('lianluo_messages_rejected_total{') && line.includes('kind="command"') && line.includes('name="answer"'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }
});
