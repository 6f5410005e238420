// A caller on bj is connected to an agent phone at sz over the inter-site trunk: real
// Asterisk at both sites, one media gateway each, SIPp as caller and as agent phones.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { CallCommands, ErrorKind } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { startTracing } from '@lianluo/observability';
import { type Sites, ensureLocalInfra, freePort, runSipp, shippedDtmfPcap, startSipp, startSites, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { type CallEventsRecorder } from './call-events.recorder';
import { CallsObserver, gatewayFor, rtpBothWays } from './e2e-harness';

jest.setTimeout(90_000);

const namespace = uniqueNamespace('leg');

describe('agent legs across sites', () => {
  let sites: Sites;
  let gateways: INestApplication[] = [];
  let observer: CallsObserver;
  let client: CommandClient;
  let recorder: CallEventsRecorder;
  const agentPort = { answers: 0, silent: 0 };

  beforeAll(async () => {
    await ensureLocalInfra();
    startTracing({ serviceName: 'media-gateway-e2e' });
    agentPort.answers = await freePort();
    agentPort.silent = await freePort();
    sites = await startSites({
      customise: (site) =>
        site.name === 'sz'
          ? {
              ...site,
              agents: [
                { extension: '2001', password: 'x-2001', staticContact: `sip:2001@127.0.0.1:${agentPort.answers}` },
                { extension: '2002', password: 'x-2002', staticContact: `sip:2002@127.0.0.1:${agentPort.silent}` },
              ],
            }
          : site,
    });
    gateways = [await gatewayFor(sites.bj, namespace), await gatewayFor(sites.sz, namespace)];
    observer = await CallsObserver.start(namespace);
    client = new CommandClient(observer.connection);
    recorder = observer.recorder;
  });

  afterAll(async () => {
    await observer?.close();
    for (const app of gateways) await app.close();
    await sites?.remove();
  });

  const nextCall = () => observer.nextCall();

  function callerDialsBj() {
    return runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      values: { dtmf_pcap: shippedDtmfPcap('9'), pause_before_dtmf_ms: 500 },
      timeoutMs: 60_000,
    });
  }

  it('bridges a bj caller with an agent phone at sz, audio both ways, and tears both down on hang-up', async () => {
    const agent = await startSipp({ scenario: 'uas-agent.xml', localPort: agentPort.answers, values: { answer_after_ms: 300 }, timeoutMs: 60_000 });
    const arrived = nextCall();
    const caller = callerDialsBj();
    const call = await arrived;
    expect((await client.request(CallCommands.answer, create(CallCommands.answer.request, { commandId: `${call.callId}:a`, call }), { timeoutMs: 5_000 })).ok).toBe(true);

    const originated = await client.request(
        CallCommands.originateLeg,
        create(CallCommands.originateLeg.request, {
          commandId: `${call.callId}:o`,
          call,
          destination: { target: { case: 'agent', value: { site: 'sz', extension: '2001' } } },
          timeoutMs: 15_000,
        }),
        { timeoutMs: 20_000 },
    );
    expect(originated).toMatchObject({ ok: true, value: { legId: expect.any(String) } });
    const legId = originated.ok ? originated.value.legId : '';
    const bridged = await client.request(
      CallCommands.bridgeLegs,
      create(CallCommands.bridgeLegs.request, { commandId: `${call.callId}:b`, call, legId, endTogether: true }),
      { timeoutMs: 5_000 },
    );
    expect(bridged).toMatchObject({ ok: true, value: { bridgeId: expect.any(String) } });

    // Asterisk's counters on both of bj's channels: packets in and out on each side.
    for (const channelId of [call.callId, legId]) {
      const stats = await rtpBothWays(sites.bj, channelId);
      expect(stats).toMatchObject({ rxcount: expect.any(Number), txcount: expect.any(Number) });
      expect(stats!.rxcount).toBeGreaterThan(0);
      expect(stats!.txcount).toBeGreaterThan(0);
    }

    // The agent's side is torn down with the caller's.
    expect((await client.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: `${call.callId}:h`, call }), { timeoutMs: 5_000 })).ok).toBe(true);
    await recorder.next('hungup', call.callId);
    await recorder.next('leg_hungup', call.callId);
    const names = recorder.of(call.callId).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['leg_ringing', 'leg_answered', 'bridged', 'leg_hungup', 'hungup']));
    expect(names.indexOf('leg_answered')).toBeLessThan(names.indexOf('bridged'));
    const [callerResult, agentResult] = await Promise.all([caller, agent.done]);
    expect({ exitCode: callerResult.exitCode, errors: callerResult.errors }).toEqual({ exitCode: 0, errors: '' });
    expect({ exitCode: agentResult.exitCode, errors: agentResult.errors }).toEqual({ exitCode: 0, errors: '' });
  });

  it('reports an agent who does not answer as a timeout and leaves the caller untouched', async () => {
    const silentPhone = await startSipp({ scenario: 'uas-agent-no-answer.xml', localPort: agentPort.silent, timeoutMs: 60_000 });
    const arrived = nextCall();
    const caller = callerDialsBj();
    const call = await arrived;
    await client.request(CallCommands.answer, create(CallCommands.answer.request, { commandId: `${call.callId}:a`, call }), { timeoutMs: 5_000 });
    const originated = await client.request(
      CallCommands.originateLeg,
      create(CallCommands.originateLeg.request, {
        commandId: `${call.callId}:o`,
        call,
        destination: { target: { case: 'agent', value: { site: 'sz', extension: '2002' } } },
        timeoutMs: 2_000,
      }),
      { timeoutMs: 15_000 },
    );
    expect(originated).toMatchObject({ ok: false, error: { kind: ErrorKind.TIMEOUT } });
    await recorder.next('leg_hungup', call.callId);
    expect(recorder.of(call.callId).map((e) => e.name)).not.toContain('hungup');

    // The caller is still ours to serve.
    const play = await client.request(CallCommands.play, create(CallCommands.play.request, { commandId: `${call.callId}:p`, call, media: ['sound:beep'] }), { timeoutMs: 5_000 });
    expect(play.ok).toBe(true);
    await client.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: `${call.callId}:h`, call }), { timeoutMs: 5_000 });
    const [callerResult, phoneResult] = await Promise.all([caller, silentPhone.done]);
    expect({ exitCode: callerResult.exitCode, errors: callerResult.errors }).toEqual({ exitCode: 0, errors: '' });
    expect({ exitCode: phoneResult.exitCode, errors: phoneResult.errors }).toEqual({ exitCode: 0, errors: '' });
  });
});
