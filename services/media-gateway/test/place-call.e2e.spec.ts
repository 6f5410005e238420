// place_call, the first step of a callback: the gateway of bj dials a PSTN number through
// its trunk (a SIPp phone behind it stands for the customer), and the answered call runs
// like an inbound one. Real Asterisk at both sites, one media gateway each.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { CallCommands, type CallRef, CallRefSchema, ErrorKind } from '@lianluo/contracts';
import { startTracing } from '@lianluo/observability';
import { type SippUas, type Sites, ensureLocalInfra, freePort, startSippUas, startSites, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { type CallEventsRecorder } from './call-events.recorder';
import { type CallControl, CallsObserver, gatewayFor, invitedCalls, rtpBothWays } from './e2e-harness';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('place');
/** Not the trunk's tenant (demo): a placed call takes the tenant of its command. */
const TENANT = 'acme';
/** The carrier's side of the trunk, inside its address range. */
const PSTN_ADDRESS = '127.0.0.1';
const PHONE_ADDRESS = '127.0.3.1';
const AUDIO = '/usr/share/sip-tester/g711a.pcap';

describe('place_call with real Asterisk and SIPp', () => {
  let sites: Sites;
  let gateways: INestApplication[] = [];
  let observer: CallsObserver;
  let control: CallControl;
  let recorder: CallEventsRecorder;
  let pstnPort: number;
  let agentPort: number;
  const phones: SippUas[] = [];

  beforeAll(async () => {
    await ensureLocalInfra();
    startTracing({ serviceName: 'media-gateway-e2e' });
    pstnPort = await freePort(PSTN_ADDRESS);
    agentPort = await freePort(PHONE_ADDRESS);
    sites = await startSites({
      customise: (site) =>
        site.name === 'bj'
          ? {
              ...site,
              trunkContact: `sip:${PSTN_ADDRESS}:${pstnPort}`,
              agents: [{ extension: '1001', password: 'x-1001', staticContact: `sip:1001@${PHONE_ADDRESS}:${agentPort}` }],
            }
          : site,
    });
    gateways = [await gatewayFor(sites.bj, namespace), await gatewayFor(sites.sz, namespace)];
    observer = await CallsObserver.start(namespace);
    ({ control, recorder } = observer);
  });

  // Every test's phones are gone before the next one takes their ports.
  afterEach(async () => {
    for (const phone of phones.splice(0)) {
      phone.stop();
      await phone.done;
    }
  });

  afterAll(async () => {
    await observer?.close();
    for (const app of gateways) await app.close();
    await sites?.remove();
  });

  /** A new call id for bj, as a callback service would choose it. */
  function newCall(): CallRef {
    return create(CallRefSchema, { tenant: TENANT, site: 'bj', callId: `callback-${randomUUID()}` });
  }

  /** The customer's phone behind the PSTN trunk. */
  async function customer(scenario: string, values: Record<string, number> = {}): Promise<SippUas> {
    const phone = await startSippUas({ scenario, localAddress: PSTN_ADDRESS, localPort: pstnPort, keys: { audio_pcap: AUDIO }, values, timeoutMs: 90_000 });
    phones.push(phone);
    return phone;
  }

  const pstn = (number: string) => ({ target: { case: 'pstnNumber' as const, value: number } });

  it('places a call the customer answers, under the command trace, and runs it like an inbound call without ever dialling it twice', async () => {
    const phone = await customer('uas-agent.xml', { answer_after_ms: 500 });
    const agent = await startSippUas({ localAddress: PHONE_ADDRESS, localPort: agentPort, service: '1001', keys: { audio_pcap: AUDIO }, timeoutMs: 90_000 });
    phones.push(agent);
    const call = newCall();
    const placing = { destination: pstn('4008001234'), callerIdNumber: '4001234567', callerIdName: 'Lianluo', timeoutMs: 15_000 };

    // Two commands for the same call while it rings (a retry after a lost reply): one dial, one outcome.
    const callback = trace.getTracer('e2e').startSpan('callback');
    const placed = await context.with(trace.setSpan(context.active(), callback), () =>
      Promise.all([control.send(CallCommands.placeCall, call, placing, 20_000), control.send(CallCommands.placeCall, call, placing, 20_000)]),
    );
    callback.end();
    expect(placed).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    const answered = await recorder.next('answered', call.callId);
    expect(answered.message.call).toMatchObject({ tenant: TENANT, site: 'bj', callId: call.callId });
    expect(answered.traceId).toBe(callback.spanContext().traceId);
    expect(await control.send(CallCommands.placeCall, call, placing)).toMatchObject({ ok: true });

    // Every call command works on it: a prompt, an agent leg, a bridge with audio both ways.
    const { playbackId } = await control.must(CallCommands.play, call, { media: ['sound:beep'] });
    const playback = await recorder.next('playback_finished', call.callId);
    expect(playback.message).toMatchObject({ playbackId, legId: call.callId });
    const { legId } = await control.must(CallCommands.originateLeg, call, { destination: { target: { case: 'agent', value: { site: 'bj', extension: '1001' } } }, timeoutMs: 15_000 }, 20_000);
    await control.must(CallCommands.bridgeLegs, call, { legId, endTogether: true });
    for (const channelId of [call.callId, legId]) {
      const stats = await rtpBothWays(sites.bj, channelId);
      expect(stats?.rxcount).toBeGreaterThan(0);
      expect(stats?.txcount).toBeGreaterThan(0);
    }
    expect(await control.must(CallCommands.getVariable, call, { legId, name: 'LIANLUO_CALL_ID' })).toMatchObject({ value: call.callId });

    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    await recorder.next('leg_hungup', call.callId);
    const names = recorder.of(call.callId).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['answered', 'playback_started', 'playback_finished', 'leg_ringing', 'leg_answered', 'bridged', 'leg_hungup', 'hungup']));
    expect(names).not.toContain('started');
    expect(names.filter((name) => name === 'answered')).toHaveLength(1);

    const [customerSide, agentSide] = await Promise.all([phone.done, agent.done]);
    expect({ exitCode: customerSide.exitCode, errors: customerSide.errors }).toEqual({ exitCode: 0, errors: '' });
    expect({ exitCode: agentSide.exitCode, errors: agentSide.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(invitedCalls(customerSide.messages)).toBe(1);
    expect(customerSide.messages).toMatch(/^From: "Lianluo" <sip:4001234567@/m);

    // Once it has ended, a repeat still gets the first outcome: the customer's phone, ready again, is not rung.
    const again = await customer('uas-agent.xml');
    expect(await control.send(CallCommands.placeCall, call, placing)).toMatchObject({ ok: true });
    again.stop();
    expect(invitedCalls((await again.done).messages)).toBe(0);
  });

  it('reports a customer who does not answer within the ring time as a timeout, and a repeat gets the same without ringing again', async () => {
    const phone = await customer('uas-agent-no-answer.xml');
    const call = newCall();
    const placing = { destination: pstn('4008001235'), timeoutMs: 2_000 };

    expect(await control.send(CallCommands.placeCall, call, placing, 15_000)).toMatchObject({ ok: false, error: { kind: ErrorKind.TIMEOUT } });
    const result = await phone.done;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(invitedCalls(result.messages)).toBe(1);
    // A call nobody answered never was a call: no events.
    expect(recorder.of(call.callId)).toEqual([]);

    const again = await customer('uas-agent-no-answer.xml');
    expect(await control.send(CallCommands.placeCall, call, placing, 15_000)).toMatchObject({ ok: false, error: { kind: ErrorKind.TIMEOUT } });
    again.stop();
    expect(invitedCalls((await again.done).messages)).toBe(0);
  });

  it('reports a busy customer as FAILED_PRECONDITION', async () => {
    const phone = await customer('uas-busy.xml');
    const call = newCall();

    const placed = await control.send(CallCommands.placeCall, call, { destination: pstn('4008001236'), timeoutMs: 15_000 }, 20_000);
    expect(placed).toMatchObject({ ok: false, error: { kind: ErrorKind.FAILED_PRECONDITION } });
    expect(placed.ok ? '' : placed.error.message).toContain('User busy');
    const result = await phone.done;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(recorder.of(call.callId)).toEqual([]);
  });

  it('answers bad input with INVALID_ARGUMENT naming the field', async () => {
    const placing = { destination: pstn('4008001237'), timeoutMs: 15_000 };
    const cases: [CallRef, object, string][] = [
      [{ ...newCall(), callId: 'not a channel id' }, placing, 'call.call_id'],
      [newCall(), { timeoutMs: 15_000 }, 'destination'],
      [newCall(), { ...placing, destination: pstn('12ab') }, 'destination.pstn_number'],
      [newCall(), { ...placing, timeoutMs: 10 }, 'timeout_ms'],
      [newCall(), { ...placing, callerIdNumber: 'centre' }, 'caller_id_number'],
    ];
    for (const [call, fields, field] of cases) {
      expect(await control.send(CallCommands.placeCall, call, fields)).toMatchObject({ ok: false, error: { kind: ErrorKind.INVALID_ARGUMENT, field } });
    }
  });
});
