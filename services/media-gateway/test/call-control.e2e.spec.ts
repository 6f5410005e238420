// Transfers, consultations, conference, supervision, recordings and bad input, with real
// Asterisk at both sites, a media gateway each, SIPp as caller and as agent phones.
import 'reflect-metadata';
import { type CallRef, CallCommands, CollectEnd, type CallRecordingFinished, type CallTransferred, ErrorKind, PlaybackEnd, RecordTarget, SupervisorMode, TransferKind } from '@lianluo/contracts';
import { startTracing } from '@lianluo/observability';
import { type AsteriskInstance, type Sites, ensureLocalInfra, freePort, runSipp, shippedDtmfPcap, startSippUas, startSites, uniqueNamespace, writeDtmfPcap } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CallEventsRecorder } from './call-events.recorder';
import { type CallControl, CallsObserver, gatewayFor } from './e2e-harness';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('ctl');
const PHONE_ADDRESS = '127.0.3.1';
const AGENT_AUDIO = '/usr/share/sip-tester/g711a.pcap';

async function membersOfBridge(site: AsteriskInstance, bridgeId: string): Promise<string[]> {
  const auth = 'Basic ' + Buffer.from(`${site.ariUser}:${site.ariPassword}`).toString('base64');
  const response = await fetch(`${site.ariUrl}/ari/bridges/${bridgeId}`, { headers: { authorization: auth } });
  return response.ok ? [...((await response.json()) as { channels: string[] }).channels].sort() : [];
}

describe('call control with real Asterisk and SIPp', () => {
  let sites: Sites;
  let gateways: INestApplication[] = [];
  let observer: CallsObserver;
  let control: CallControl;
  let recorder: CallEventsRecorder;
  let recordingDir: string;
  const port: Record<string, number> = {};

  beforeAll(async () => {
    await ensureLocalInfra();
    startTracing({ serviceName: 'media-gateway-e2e' });
    for (const extension of ['1001', '1002', '1003', '2001']) port[extension] = await freePort(PHONE_ADDRESS);
    const phone = (extension: string) => ({ extension, password: `x-${extension}`, staticContact: `sip:${extension}@${PHONE_ADDRESS}:${port[extension]}` });
    sites = await startSites({
      customise: (site) => ({ ...site, agents: site.name === 'bj' ? ['1001', '1002', '1003'].map(phone) : [phone('2001')] }),
    });
    recordingDir = await mkdtemp(join(tmpdir(), 'lianluo-recordings-'));
    const store = { RECORDING_STORE: 'local', RECORDING_DIR: recordingDir };
    gateways = [await gatewayFor(sites.bj, namespace, store), await gatewayFor(sites.sz, namespace, store)];
    observer = await CallsObserver.start(namespace);
    ({ control, recorder } = observer);
  });

  afterAll(async () => {
    await observer?.close();
    for (const app of gateways) await app.close();
    await sites?.remove();
    if (recordingDir) await rm(recordingDir, { recursive: true, force: true });
  });

  /** A PSTN caller to bj that stays on the line until we hang up; resolves with its call. */
  async function answeredCall() {
    const arrived = observer.nextCall();
    const caller = runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      keys: { dtmf_pcap: shippedDtmfPcap('5') },
      values: { pause_before_dtmf_ms: 0 },
      timeoutMs: 90_000,
    });
    const call = await arrived;
    await control.must(CallCommands.answer, call);
    return { call, caller };
  }

  function phone(extension: string, values: Record<string, string | number> = {}) {
    return startSippUas({ localPort: port[extension], service: extension, keys: { audio_pcap: AGENT_AUDIO }, values, timeoutMs: 90_000 });
  }

  function agentAt(site: string, extension: string) {
    return { target: { case: 'agent' as const, value: { site, extension } } };
  }

  async function connectAgent(call: CallRef, site: string, extension: string): Promise<string> {
    const { legId } = await control.must(CallCommands.originateLeg, call, { destination: agentAt(site, extension), timeoutMs: 15_000 }, 20_000);
    await control.must(CallCommands.bridgeLegs, call, { legId, endTogether: true });
    return legId;
  }

  const finished = async (...runs: Promise<{ exitCode: number | null; errors: string }>[]) =>
    (await Promise.all(runs)).map((r) => ({ exitCode: r.exitCode, errors: r.errors }));

  it('has Asterisk send the gateway only the event types it listens to', async () => {
    for (const site of [sites.bj, sites.sz]) {
      const auth = 'Basic ' + Buffer.from(`${site.ariUser}:${site.ariPassword}`).toString('base64');
      const allowedNow = async () =>
        ((await (await fetch(`${site.ariUrl}/ari/applications/lianluo`, { headers: { authorization: auth } })).json()) as { events_allowed: { type: string }[] }).events_allowed.map(
          (event) => event.type,
        );
      // The gateway sets the filter just after it connects.
      let allowed = await allowedNow();
      for (let i = 0; i < 50 && allowed.length === 0; i++) allowed = await new Promise((resolve) => setTimeout(resolve, 100)).then(allowedNow);
      expect(allowed).toEqual(expect.arrayContaining(['StasisStart', 'StasisEnd', 'ChannelStateChange', 'ChannelDtmfReceived', 'ChannelDestroyed']));
      expect(allowed).not.toContain('ChannelVarset');
      expect(allowed).not.toContain('ChannelDialplan');
    }
  });

  it('stops an interruptible menu prompt at the first key and returns the keys collected when the caller pauses', async () => {
    const pcap = join(recordingDir, 'keys-12.pcap');
    await writeDtmfPcap('12', pcap);
    const arrived = observer.nextCall();
    const caller = runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '100',
      keys: { dtmf_pcap: pcap },
      values: { pause_before_dtmf_ms: 1_000 },
      timeoutMs: 90_000,
    });
    const call = await arrived;
    await control.must(CallCommands.answer, call);
    const menu = ['sound:hello-world', 'sound:hello-world', 'sound:hello-world', 'sound:hello-world'];
    const { playbackId } = await control.must(CallCommands.play, call, { media: menu, interruptible: true });
    const collected = await control.must(CallCommands.collectDigits, call, { maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 20_000, interDigitTimeoutMs: 1_500 }, 30_000);
    expect(collected).toMatchObject({ digits: '12', end: CollectEnd.INTER_DIGIT_TIMEOUT });
    const playback = recorder.of(call.callId).find((e) => e.name === 'playback_finished' && (e.message as { playbackId?: string }).playbackId === playbackId);
    expect(playback?.message).toMatchObject({ end: PlaybackEnd.STOPPED, legId: call.callId });
    expect(recorder.of(call.callId).some((e) => e.name === 'playback_started')).toBe(true);

    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    expect(await finished(caller)).toEqual([{ exitCode: 0, errors: '' }]);
  });

  it('blind-transfers the caller from a bj agent to an sz agent, and the first agent leaves', async () => {
    const first = await phone('1001');
    const second = await phone('2001');
    const { call, caller } = await answeredCall();
    const firstLeg = await connectAgent(call, 'bj', '1001');

    const { legId: secondLeg } = await control.must(CallCommands.blindTransfer, call, { destination: agentAt('sz', '2001'), timeoutMs: 15_000 }, 20_000);

    const transferred = (await recorder.next('transferred', call.callId)).message as CallTransferred;
    expect(transferred).toMatchObject({ kind: TransferKind.BLIND, fromLegIds: [firstLeg], toLegId: secondLeg });
    expect(recorder.of(call.callId).some((e) => e.name === 'leg_hungup' && (e.message as { legId?: string }).legId === firstLeg)).toBe(true);
    expect(await membersOfBridge(sites.bj, `${call.callId}-bridge`)).toEqual([call.callId, secondLeg].sort());
    expect(recorder.of(call.callId).map((e) => e.name)).not.toContain('hungup');

    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    expect(await finished(caller, first.done, second.done)).toEqual([
      { exitCode: 0, errors: '' },
      { exitCode: 0, errors: '' },
      { exitCode: 0, errors: '' },
    ]);
  });

  it('consults a second agent and cancels, then consults a third and completes the transfer', async () => {
    const agent = await phone('1001');
    const declined = await phone('1002');
    const taker = await phone('2001');
    const { call, caller } = await answeredCall();
    const agentLeg = await connectAgent(call, 'bj', '1001');
    const bridgeId = `${call.callId}-bridge`;

    const { consultedLegId: firstConsulted } = await control.must(
      CallCommands.startConsultation,
      call,
      { legId: agentLeg, destination: agentAt('bj', '1002'), timeoutMs: 15_000 },
      20_000,
    );
    // The caller waits alone (on hold) while the agents talk in their own bridge.
    expect(await membersOfBridge(sites.bj, bridgeId)).toEqual([call.callId]);
    await control.must(CallCommands.endConsultation, call, { complete: false });
    expect(await membersOfBridge(sites.bj, bridgeId)).toEqual([call.callId, agentLeg].sort());
    await recorder.next('leg_hungup', call.callId);
    expect(recorder.of(call.callId).filter((e) => e.name === 'leg_hungup').map((e) => (e.message as { legId?: string }).legId)).toEqual([firstConsulted]);

    const { consultedLegId: takerLeg } = await control.must(
      CallCommands.startConsultation,
      call,
      { legId: agentLeg, destination: agentAt('sz', '2001'), timeoutMs: 15_000 },
      20_000,
    );
    await control.must(CallCommands.endConsultation, call, { complete: true });
    expect(await membersOfBridge(sites.bj, bridgeId)).toEqual([call.callId, takerLeg].sort());
    const transferred = (await recorder.next('transferred', call.callId)).message as CallTransferred;
    expect(transferred).toMatchObject({ kind: TransferKind.ATTENDED, fromLegIds: [agentLeg], toLegId: takerLeg });

    // The agent who took the call hangs up: end-together takes the caller down too.
    await control.must(CallCommands.hangUpLeg, call, { legId: takerLeg });
    await recorder.next('hungup', call.callId);
    expect(await finished(caller, agent.done, declined.done, taker.done)).toEqual(Array(4).fill({ exitCode: 0, errors: '' }));
  });

  it('makes a three-way conference and lets a supervisor listen, then barge', async () => {
    const agent = await phone('1001');
    const expert = await phone('2001');
    const supervisor = await phone('1003');
    const barging = await phone('1002');
    const { call, caller } = await answeredCall();
    const agentLeg = await connectAgent(call, 'bj', '1001');
    const expertLeg = await connectAgent(call, 'sz', '2001');
    expect(await membersOfBridge(sites.bj, `${call.callId}-bridge`)).toEqual([call.callId, agentLeg, expertLeg].sort());

    const { supervisorLegId } = await control.must(
      CallCommands.joinSupervisor,
      call,
      { legId: agentLeg, supervisor: agentAt('bj', '1003'), mode: SupervisorMode.LISTEN, timeoutMs: 15_000 },
      20_000,
    );
    // Listening happens beside the call: the supervisor and a snoop on the agent, not in the call's bridge.
    expect(await membersOfBridge(sites.bj, `${supervisorLegId}-supervise`)).toEqual([`${supervisorLegId}-snoop`, supervisorLegId].sort());
    expect(await membersOfBridge(sites.bj, `${call.callId}-bridge`)).not.toContain(supervisorLegId);

    // A second supervisor barges in: into the call's bridge, heard by everyone.
    const { supervisorLegId: bargeLeg } = await control.must(
      CallCommands.joinSupervisor,
      call,
      { legId: agentLeg, supervisor: agentAt('bj', '1002'), mode: SupervisorMode.BARGE, timeoutMs: 15_000 },
      20_000,
    );
    expect(await membersOfBridge(sites.bj, `${call.callId}-bridge`)).toEqual([call.callId, agentLeg, expertLeg, bargeLeg].sort());

    // The expert leaves; the agent is still there, so the caller stays.
    await control.must(CallCommands.hangUpLeg, call, { legId: expertLeg });
    await recorder.next('leg_hungup', call.callId);
    expect(recorder.of(call.callId).map((e) => e.name)).not.toContain('hungup');

    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    expect(await finished(caller, agent.done, expert.done, supervisor.done, barging.done)).toEqual(Array(5).fill({ exitCode: 0, errors: '' }));
  });

  it('records three seconds of a conversation into the store with its duration', async () => {
    const agent = await phone('1001');
    const { call, caller } = await answeredCall();
    await connectAgent(call, 'bj', '1001');

    const { recordingId } = await control.must(CallCommands.record, call, { target: RecordTarget.CONVERSATION, format: 'wav', maxDurationMs: 3_000 });
    const finishedEvent = (await recorder.next('recording_finished', call.callId)).message as CallRecordingFinished;
    expect(finishedEvent).toMatchObject({ recordingId, contentType: 'audio/wav', legId: `${call.callId}-bridge` });
    const file = await readFile(fileURLToPath(finishedEvent.location));
    expect(file.subarray(0, 4).toString()).toBe('RIFF');
    expect(BigInt(file.length)).toBe(finishedEvent.sizeBytes);
    // Asterisk's wav is 8 kHz 16-bit mono behind a 44-byte header: 16 bytes per millisecond.
    const audioMs = (file.length - 44) / 16;
    expect(Math.abs(finishedEvent.durationMs - audioMs)).toBeLessThanOrEqual(20);
    // Asterisk checks the limit on its own tick, so a recording may run a little past it; on a
    // loaded machine the mixer skips a few frames, so it may also hold a little less audio.
    expect(finishedEvent.durationMs).toBeGreaterThanOrEqual(2_000);
    expect(finishedEvent.durationMs).toBeLessThan(4_500);

    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    expect(await finished(caller, agent.done)).toEqual(Array(2).fill({ exitCode: 0, errors: '' }));
  });

  it('answers bad input with typed errors and keeps serving', async () => {
    const { call, caller } = await answeredCall();
    const unknown = { ...call, callId: 'no-such-call' };
    expect(await control.send(CallCommands.hangUp, unknown)).toMatchObject({ ok: false, error: { kind: ErrorKind.GONE } });
    expect(await control.send(CallCommands.collectDigits, call, { maxDigits: 0, firstDigitTimeoutMs: 1_000, interDigitTimeoutMs: 1_000 })).toMatchObject({
      ok: false,
      error: { kind: ErrorKind.INVALID_ARGUMENT, field: 'max_digits' },
    });
    expect(await control.send(CallCommands.collectDigits, call, { maxDigits: 4, terminator: '##', firstDigitTimeoutMs: 1_000, interDigitTimeoutMs: 1_000 })).toMatchObject({
      ok: false,
      error: { kind: ErrorKind.INVALID_ARGUMENT, field: 'terminator' },
    });
    expect(await control.send(CallCommands.bridgeLegs, call, { legId: 'no-such-leg' })).toMatchObject({ ok: false, error: { kind: ErrorKind.GONE } });
    expect(await control.send(CallCommands.endConsultation, call, { complete: true })).toMatchObject({ ok: false, error: { kind: ErrorKind.FAILED_PRECONDITION } });
    expect(await control.send(CallCommands.setVariables, call, { variables: { LIANLUO_TENANT: 'other' } })).toMatchObject({
      ok: false,
      error: { kind: ErrorKind.INVALID_ARGUMENT },
    });
    expect(await control.send(CallCommands.record, call, { target: RecordTarget.CONVERSATION, maxDurationMs: 3_000 })).toMatchObject({
      ok: false,
      error: { kind: ErrorKind.FAILED_PRECONDITION },
    });

    // Still serving: variables round-trip, and the call hangs up normally.
    await control.must(CallCommands.setVariables, call, { variables: { CUSTOMER_TIER: 'gold' } });
    expect(await control.must(CallCommands.getVariable, call, { name: 'CUSTOMER_TIER' })).toMatchObject({ value: 'gold' });
    await control.must(CallCommands.hangUp, call);
    await recorder.next('hungup', call.callId);
    expect(await finished(caller)).toEqual([{ exitCode: 0, errors: '' }]);
  });
});
