// A voicemail replica is killed (SIGKILL) while its caller is recording. The take and the
// hang-up arrive after its death; another replica must keep the message all the same.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { type CallRef, TakeReason, VoicemailCommands } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { LocalFolderRecordingStore } from '@lianluo/recording-store';
import { type ServiceProcess, ensureLocalInfra, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { FakeMediaGateway } from './fake-media-gateway';
import { VoicemailEventsRecorder, VoicemailTestbed } from './voicemail-harness';

jest.setTimeout(60_000);

const namespace = uniqueNamespace('vmk');

describe('a voicemail replica dying mid-message', () => {
  let testbed: VoicemailTestbed;
  let gateway: FakeMediaGateway;
  let doomed: ServiceProcess | undefined;
  let survivor: INestApplication | undefined;
  let events: VoicemailEventsRecorder;

  beforeAll(async () => {
    await ensureLocalInfra();
    testbed = await VoicemailTestbed.create();
    gateway = await FakeMediaGateway.start(namespace, new LocalFolderRecordingStore(testbed.recordingDir));
    events = await VoicemailEventsRecorder.connect(namespace);
  });

  afterAll(async () => {
    await doomed?.kill();
    await survivor?.close();
    await gateway?.close();
    await events?.close();
    await testbed?.remove();
  });

  it('keeps the message through another replica when the take and the hang-up come after the kill', async () => {
    // Redelivery of call endings the dead replica may have held comes after 2 s instead of 30.
    const settings = { EVENT_ACK_WAIT_MS: '2000' };
    doomed = await testbed.process(namespace, settings);
    await doomed.start();

    const call = create(VoicemailCommands.takeCall.request, { call: { tenant: 'acme', site: 'sz', callId: 'sz-1700000000.42' } }).call as CallRef;
    gateway.caller(call.callId, { takes: ['hold'] });
    const taken = await new CommandClient(events.connection).request(
      VoicemailCommands.takeCall,
      create(VoicemailCommands.takeCall.request, { commandId: 'ivr-1', call, queue: 'billing', priority: 70, reason: TakeReason.CALLER_CHOICE }),
      { timeoutMs: 5_000 },
    );
    const messageId = taken.ok ? taken.value.messageId : '';
    const recordingId = await gateway.recordingOf(call.callId);
    // The flow notes the take it started before anything else happens; after that, dying loses nothing.
    await until('the session knows the take in progress', async () => {
      const { rows } = await testbed.pool.query('SELECT 1 FROM session WHERE message_id = $1 AND recording_id = $2', [messageId, recordingId]);
      return rows.length === 1;
    });

    await doomed.kill();
    // The media gateway stores the take and reports the end of the call; no replica drives it any more.
    await gateway.finishTake(call, recordingId, 4_000);
    await gateway.hangUp(call);

    survivor = await testbed.start(namespace, settings);
    const left = await events.next('message_left', messageId);
    expect(left.message).toMatchObject({ queue: 'billing', priority: 70, durationMs: 4_000 });
    const { rows } = await testbed.pool.query('SELECT duration_ms, state FROM message WHERE id = $1', [messageId]);
    expect(rows).toEqual([{ duration_ms: 4_000, state: 'new' }]);
  });
});
