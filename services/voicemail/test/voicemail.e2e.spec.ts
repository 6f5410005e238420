// End to end against real parts: a SIPp caller speaks into a real Asterisk (site bj, in its
// chroot), the real media gateway drives the call over ARI, and this voicemail replica takes
// the call when the test hands it over as the IVR would (take_call). The message is read
// back from PostgreSQL, over HTTP with a Range request, and from the voicemail stream; its
// work item from a stand-in for acd's enqueue_contact.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { type CallRef, type CallStarted, Channel, PlaybackEnd, TakeReason, VoicemailCommands } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { startTracing } from '@lianluo/observability';
import { type Sites, ensureLocalInfra, fetchAsApi, freePort, runSipp, shippedDtmfPcap, startSites, uniqueNamespace, writeDtmfPcap } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallsObserver, gatewayFor } from '../../media-gateway/test/e2e-harness';
import { FakeAcd } from './fake-acd';
import { VoicemailEventsRecorder, VoicemailTestbed } from './voicemail-harness';

jest.setTimeout(90_000);

const namespace = uniqueNamespace('vme');
const CALLER = '13912345678';
/** The greeting (sound:vm-leavemsg, 2.08 s) and the record command's beep (0.44 s) before the caller is recorded. */
const BEFORE_RECORDING_MS = 2_080 + 440 + 150;
const MESSAGE_MS = 3_000;

describe('voicemail with real Asterisk, SIPp, NATS and PostgreSQL', () => {
  let sites: Sites;
  let testbed: VoicemailTestbed;
  let gateway: INestApplication;
  let voicemail: INestApplication;
  let baseUrl: string;
  let observer: CallsObserver;
  let events: VoicemailEventsRecorder;
  let acd: FakeAcd;
  let scratch: string;

  beforeAll(async () => {
    await ensureLocalInfra();
    startTracing({ serviceName: 'voicemail-e2e' });
    [sites, testbed, scratch] = await Promise.all([startSites(), VoicemailTestbed.create(), mkdtemp(join(tmpdir(), 'lianluo-vm-e2e-'))]);
    // Review lets the caller listen to a take: Asterisk fetches it from us over HTTP (sound:http://…).
    await sites.bj.cli('module load res_curl.so');
    await sites.bj.cli('module load res_http_media_cache.so');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    [gateway, voicemail, observer, acd] = await Promise.all([
      gatewayFor(sites.bj, namespace, { RECORDING_STORE: 'local', RECORDING_DIR: testbed.recordingDir }),
      testbed.start(namespace, { HTTP_PORT: String(port), MEDIA_BASE_URL: baseUrl }),
      CallsObserver.start(namespace),
      FakeAcd.start(namespace),
    ]);
    events = new VoicemailEventsRecorder(observer.connection);
    await events.start();
  });

  afterAll(async () => {
    await events?.stop();
    await voicemail?.close();
    await gateway?.close();
    await acd?.close();
    await observer?.close();
    await sites?.remove();
    await testbed?.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A SIPp caller at bj who speaks and keys `dtmfPcap` `digitsAfterMs` into the speech; resolves with the call and SIPp's run. */
  async function callAndHandOver(dtmfPcap: string, digitsAfterMs: number, review: boolean) {
    const started = observer.nextCall();
    const sipp = runSipp({
      scenario: 'uac-speaker.xml',
      target: sites.bj.sipTarget,
      service: '600',
      caller: CALLER,
      values: { dtmf_pcap: dtmfPcap, digits_after_ms: digitsAfterMs },
      timeoutMs: 60_000,
    });
    const call: CallRef = await started;
    const ani = ((await observer.recorder.next('started', call.callId)).message as CallStarted).ani;
    // What the IVR does when the caller chooses voicemail (or acd when the queue overflows).
    const taken = await new CommandClient(observer.connection).request(
      VoicemailCommands.takeCall,
      create(VoicemailCommands.takeCall.request, {
        commandId: `ivr:${call.callId}:voicemail`,
        call,
        queue: 'sales',
        callerNumber: ani,
        greeting: ['sound:vm-leavemsg'],
        maxMessageMs: 60_000,
        silenceStopMs: 10_000,
        review,
        priority: 30,
        reason: TakeReason.OVERFLOW,
      }),
      { timeoutMs: 5_000 },
    );
    if (!taken.ok) throw new Error(`take_call failed: ${taken.error.message}`);
    return { call, messageId: taken.value.messageId, sipp };
  }

  it('records a 3-second message ended by #, stores it, serves it with a Range request and queues it as a work item', async () => {
    const { call, messageId, sipp } = await callAndHandOver(shippedDtmfPcap('#'), BEFORE_RECORDING_MS + MESSAGE_MS, false);

    const left = await events.next('message_left', messageId);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(left.message).toMatchObject({ queue: 'sales', priority: 30, callerNumber: CALLER, contentType: 'audio/wav', call: { tenant: 'demo', site: 'bj', callId: call.callId } });
    // The hand-off to the agents of the queue, with the contact's priority.
    expect(await acd.workItem(messageId)).toMatchObject({
      tenant: 'demo',
      contact: { contactId: `voicemail-${messageId}`, queue: 'sales', channel: Channel.WORKITEM, priority: 30, data: { caller_number: CALLER, audio: `/voicemails/demo/${messageId}/audio` } },
    });

    const { rows } = await testbed.pool.query('SELECT tenant, queue, caller_number, duration_ms, size_bytes::int AS size, state FROM message WHERE id = $1', [messageId]);
    expect(rows).toHaveLength(1);
    const message = rows[0] as { duration_ms: number; size: number };
    expect(rows[0]).toMatchObject({ tenant: 'demo', queue: 'sales', caller_number: CALLER, state: 'new' });
    expect(message.duration_ms).toBeGreaterThan(MESSAGE_MS - 700);
    expect(message.duration_ms).toBeLessThan(MESSAGE_MS + 700);

    const head = await fetchAsApi('voicemail', `${baseUrl}/voicemails/demo/${messageId}/audio`, { headers: { Range: 'bytes=0-1023' } });
    expect([head.status, head.headers.get('content-type'), head.headers.get('accept-ranges'), head.headers.get('content-range')]).toEqual([
      206,
      'audio/wav',
      'bytes',
      `bytes 0-1023/${message.size}`,
    ]);
    const start = Buffer.from(await head.arrayBuffer());
    expect([start.length, start.subarray(0, 4).toString(), start.subarray(8, 12).toString()]).toEqual([1024, 'RIFF', 'WAVE']);

    // The caller's speech is in it: the rest of the file is far from silence.
    const rest = await fetchAsApi('voicemail', `${baseUrl}/voicemails/demo/${messageId}/audio`, { headers: { Range: 'bytes=1024-' } });
    expect(rest.status).toBe(206);
    expect(rmsOf(Buffer.from(await rest.arrayBuffer()))).toBeGreaterThan(300);
  });

  it('lets the caller listen to the take (1) and confirm it (3) in review', async () => {
    const digits = join(scratch, 'hash-1-3.pcap');
    // # ends the take; 1 comes while the review menu plays, 3 after the take has been played back.
    await writeDtmfPcap('#13', digits, { gapMs: 4_500 });
    const { call, messageId, sipp } = await callAndHandOver(digits, BEFORE_RECORDING_MS + MESSAGE_MS, true);

    const left = await events.next('message_left', messageId);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    expect((left.message as unknown as { durationMs: number }).durationMs).toBeGreaterThan(MESSAGE_MS - 700);

    const listened = observer.recorder
      .of(call.callId)
      .filter((e) => e.name === 'playback_finished' && String((e.message as { mediaUri?: string }).mediaUri).includes('/takes/demo/'));
    expect(listened).toHaveLength(1);
    // Asterisk fetched the take at the signed, expiring URL voicemail gave it, and played it.
    const played = listened[0]?.message as unknown as { end: PlaybackEnd; mediaUri: string };
    expect(played.mediaUri).toMatch(/^sound:http:\/\/127\.0\.0\.1:\d+\/takes\/demo\/[^/?]+\.wav\?expires=\d+&signature=[\w-]{43}$/);
    expect(played.end).not.toBe(PlaybackEnd.FAILED);
    const dtmf = observer.recorder.of(call.callId).filter((e) => e.name === 'dtmf').map((e) => (e.message as { digit?: string }).digit);
    expect(dtmf).toEqual(['#', '1', '3']);
  });
});

/** Root mean square of 16-bit little-endian PCM samples. */
function rmsOf(pcm: Buffer): number {
  let sum = 0;
  const samples = Math.floor(pcm.length / 2);
  for (let i = 0; i < samples; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return Math.sqrt(sum / Math.max(1, samples));
}
