// kill -9 of the media gateway in the middle of a bridged call (or a call it placed): the
// call stays up in Asterisk, and the restarted gateway takes it back (TEL-1 resilience).
import 'reflect-metadata';
import { create, fromBinary } from '@bufbuild/protobuf';
import { CallCommands, CallRefSchema, LiveCallRecordSchema } from '@lianluo/contracts';
import { RecordBucket } from '@lianluo/messaging';
import { type ServiceProcess, type Sites, ensureLocalInfra, freePort, runSipp, shippedDtmfPcap, startSippUas, startSites, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LIVE_CALLS_BUCKET } from '../src/calls/live-call-ledger';
import { type CallEventsRecorder } from './call-events.recorder';
import { type CallControl, CallsObserver, gatewayEnv, gatewayProcess, gatewayFor, invitedCalls } from './e2e-harness';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('rst');
const PHONE_ADDRESS = '127.0.3.1';
/** The carrier's side of the PSTN trunk. */
const PSTN_ADDRESS = '127.0.0.1';

describe('a media gateway killed during a bridged call', () => {
  let sites: Sites;
  let bj: ServiceProcess | undefined;
  let sz: INestApplication | undefined;
  let observer: CallsObserver;
  let control: CallControl;
  let recorder: CallEventsRecorder;
  let recordingDir: string;
  let agentPort: number;
  let pstnPort: number;

  beforeAll(async () => {
    await ensureLocalInfra();
    agentPort = await freePort(PHONE_ADDRESS);
    pstnPort = await freePort(PSTN_ADDRESS);
    sites = await startSites({
      customise: (site) =>
        site.name === 'sz'
          ? { ...site, agents: [{ extension: '2001', password: 'x-2001', staticContact: `sip:2001@${PHONE_ADDRESS}:${agentPort}` }] }
          : { ...site, trunkContact: `sip:${PSTN_ADDRESS}:${pstnPort}` },
    });
    recordingDir = await mkdtemp(join(tmpdir(), 'lianluo-recordings-'));
    const store = { RECORDING_STORE: 'local', RECORDING_DIR: recordingDir };
    bj = gatewayProcess(await gatewayEnv(sites.bj, namespace, store));
    await bj.start();
    sz = await gatewayFor(sites.sz, namespace, store);
    observer = await CallsObserver.start(namespace);
    ({ control, recorder } = observer);
  });

  afterAll(async () => {
    await observer?.close();
    await bj?.stop();
    await sz?.close();
    await sites?.remove();
    if (recordingDir) await rm(recordingDir, { recursive: true, force: true });
  });

  /** The call ids the site's gateways have announced and not yet reported hung up. */
  async function callsInLedger(site: string): Promise<string[]> {
    const bucket = await RecordBucket.open(observer.connection, LIVE_CALLS_BUCKET);
    return (await bucket.entries(site)).map(({ record }) => fromBinary(LiveCallRecordSchema, record).call?.callId ?? '');
  }

  it('keeps the call up and controllable after the restart, and its events continue', async () => {
    const agent = await startSippUas({ localPort: agentPort, service: '2001', timeoutMs: 90_000 });
    const arrived = observer.nextCall();
    const caller = runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      keys: { dtmf_pcap: shippedDtmfPcap('1') },
      values: { pause_before_dtmf_ms: 0 },
      timeoutMs: 90_000,
    });
    const call = await arrived;
    await control.must(CallCommands.answer, call);
    const { legId } = await control.must(
      CallCommands.originateLeg,
      call,
      { destination: { target: { case: 'agent', value: { site: 'sz', extension: '2001' } } }, timeoutMs: 15_000 },
      20_000,
    );
    await control.must(CallCommands.bridgeLegs, call, { legId, endTogether: true });

    await bj!.kill();
    // While the gateway is down, nobody answers for the call.
    expect(await control.send(CallCommands.setVariables, call, { variables: { NOTE: 'x' } }, 1_000)).toMatchObject({ ok: false });
    await bj!.start();

    // The restarted gateway knows the call, its leg and its bridge again.
    await control.must(CallCommands.setVariables, call, { variables: { NOTE: 'after-restart' } });
    expect(await control.must(CallCommands.getVariable, call, { name: 'NOTE' })).toMatchObject({ value: 'after-restart' });
    expect(await control.must(CallCommands.getVariable, call, { legId, name: 'LIANLUO_CALL_ID' })).toMatchObject({ value: call.callId });
    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    await recorder.next('leg_hungup', call.callId);
    const names = recorder.of(call.callId).map((e) => e.name);
    expect(names.filter((name) => name === 'hungup')).toHaveLength(1);
    const [callerResult, agentResult] = await Promise.all([caller, agent.done]);
    expect({ exitCode: callerResult.exitCode, errors: callerResult.errors }).toEqual({ exitCode: 0, errors: '' });
    expect({ exitCode: agentResult.exitCode, errors: agentResult.errors }).toEqual({ exitCode: 0, errors: '' });
  });

  it('reports a call that ended while it was down as hung up, once, when it is back', async () => {
    const arrived = observer.nextCall();
    const caller = runSipp({ scenario: 'uac-simple.xml', target: sites.bj.sipTarget, service: '100', values: { hangup_after_ms: 1_500 }, timeoutMs: 60_000 });
    const call = await arrived;
    await control.must(CallCommands.answer, call);
    await recorder.next('answered', call.callId);

    await bj!.kill();
    // The caller hangs up while no gateway watches the site; Asterisk ends the channel.
    const callerResult = await caller;
    expect({ exitCode: callerResult.exitCode, errors: callerResult.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(recorder.of(call.callId).map((e) => e.name)).not.toContain('hungup');
    await bj!.start();

    const hungUp = await recorder.next('hungup', call.callId);
    expect(hungUp.message).toMatchObject({ call: { tenant: call.tenant, site: 'bj', callId: call.callId }, causeText: 'Call ended while its media gateway was down' });
    // Its trace is the call's, as every other event of it.
    const started = recorder.of(call.callId).find((e) => e.name === 'started')!;
    expect(hungUp.traceId).toBe(started.traceId);
    // Reported once, and then gone from the ledger, so no later start reports it again.
    await until('the ledger no longer holds the call', async () => !(await callsInLedger('bj')).includes(call.callId));
    expect(recorder.of(call.callId).filter((e) => e.name === 'hungup')).toHaveLength(1);
  });

  it('takes back a call it placed as the same call: never started, controllable, and not dialled again', async () => {
    const customer = await startSippUas({ localAddress: PSTN_ADDRESS, localPort: pstnPort, service: '4008001234', timeoutMs: 90_000 });
    const call = create(CallRefSchema, { tenant: 'demo', site: 'bj', callId: `callback-${randomUUID()}` });
    const placing = { destination: { target: { case: 'pstnNumber' as const, value: '4008001234' } }, timeoutMs: 15_000 };
    await control.must(CallCommands.placeCall, call, placing, 20_000);
    await recorder.next('answered', call.callId);

    await bj!.kill();
    await bj!.start();

    // The first outcome went with the process; the call in Asterisk answers for it.
    await control.must(CallCommands.placeCall, call, placing, 20_000);
    await control.must(CallCommands.setVariables, call, { variables: { NOTE: 'after-restart' } });
    expect(await control.must(CallCommands.getVariable, call, { name: 'NOTE' })).toMatchObject({ value: 'after-restart' });
    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    const names = recorder.of(call.callId).map((e) => e.name);
    expect(names).not.toContain('started');
    expect(names.filter((name) => name === 'answered')).toHaveLength(1);
    expect(names.filter((name) => name === 'hungup')).toHaveLength(1);
    const result = await customer.done;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(invitedCalls(result.messages)).toBe(1);
  });
});
