// Against real NATS (JetStream) and PostgreSQL: a voicemail replica in this process, a
// stand-in media gateway on NATS, and the voicemail events read back from JetStream.
import 'reflect-metadata';
import { type MessageInitShape, create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AbandonStage, type CallRef, Channel, ErrorKind, TakeReason, VoicemailCommands, VoicemailEvents } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { LocalFolderRecordingStore } from '@lianluo/recording-store';
import { ensureLocalInfra, fetchAsApi, probeServiceIdentity, serviceAuthHeaders, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { addEventToOutbox } from '../src/outbox/outbox';
import { takeUrl } from '../src/takes/take-url';
import { TakeUrls } from '../src/takes/take-urls';
import { FakeAcd } from './fake-acd';
import { FakeMediaGateway } from './fake-media-gateway';
import { VoicemailEventsRecorder, VoicemailTestbed, pcmWav } from './voicemail-harness';

jest.setTimeout(30_000);

const namespace = uniqueNamespace('vm');
const TENANT = 'acme';

describe('voicemail sessions over NATS and PostgreSQL', () => {
  let testbed: VoicemailTestbed;
  let app: INestApplication;
  let baseUrl: string;
  let gateway: FakeMediaGateway;
  let client: CommandClient;
  let events: VoicemailEventsRecorder;
  let acd: FakeAcd;

  beforeAll(async () => {
    await ensureLocalInfra();
    testbed = await VoicemailTestbed.create();
    gateway = await FakeMediaGateway.start(namespace, new LocalFolderRecordingStore(testbed.recordingDir));
    acd = await FakeAcd.start(namespace, ['closed-queue']);
    app = await testbed.start(namespace);
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    events = await VoicemailEventsRecorder.connect(namespace);
    client = new CommandClient(events.connection);
  });

  afterAll(async () => {
    await app?.close();
    await gateway?.close();
    await acd?.close();
    await events?.close();
    await testbed?.remove();
  });

  function newCall(): CallRef {
    return create(VoicemailCommands.takeCall.request, { call: { tenant: TENANT, site: 'bj', callId: `bj-${randomUUID()}` } }).call as CallRef;
  }

  function takeCall(call: CallRef, fields: MessageInitShape<typeof VoicemailCommands.takeCall.request> = {}, commandId = randomUUID()) {
    const request = create(VoicemailCommands.takeCall.request, {
      commandId,
      call,
      queue: 'sales',
      callerNumber: '13800138000',
      priority: 40,
      reason: TakeReason.OVERFLOW,
      contactId: `contact-${call.callId}`,
      ...fields,
    });
    return client.request(VoicemailCommands.takeCall, request, { timeoutMs: 5_000 });
  }

  it('keeps a message once however often the call is handed over, stores it, announces it and queues it as a work item with its priority', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: [3_000] });
    const first = await takeCall(call);
    const again = await takeCall(call);
    expect(first.ok && again.ok).toBe(true);
    const messageId = first.ok ? first.value.messageId : '';
    expect(again).toMatchObject({ ok: true, value: { messageId } });

    const left = await events.next('message_left', messageId);
    await gateway.command('hang_up', call.callId);
    expect(left.message).toMatchObject({ queue: 'sales', priority: 40, durationMs: 3_000, callerNumber: '13800138000', contactId: `contact-${call.callId}`, contentType: 'audio/wav' });
    expect(left.eventId).toBe(`${messageId}:left`);

    const { rows } = await testbed.pool.query('SELECT tenant, queue, caller_number, duration_ms, state, recording_id, location FROM message WHERE id = $1', [messageId]);
    expect(rows).toEqual([
      {
        tenant: TENANT,
        queue: 'sales',
        caller_number: '13800138000',
        duration_ms: 3_000,
        state: 'new',
        recording_id: (left.message as unknown as { recordingId: string }).recordingId,
        location: (left.message as unknown as { location: string }).location,
      },
    ]);
    expect(gateway.of(call.callId).map((c) => c.name)).toEqual(['answer', 'play', 'record', 'play', 'hang_up']);
    expect(gateway.of(call.callId)[2]?.request).toMatchObject({ maxDurationMs: 120_000, maxSilenceMs: 5_000, beep: true, terminateOn: '#' });
    // The call's hang-up, consumed after the message was kept, changes nothing.
    await gateway.hangUp(call);
    expect(await testbed.pool.query('SELECT outcome FROM session WHERE message_id = $1', [messageId]).then((r) => r.rows)).toEqual([{ outcome: 'left' }]);
    expect(events.of(messageId).map((e) => e.name)).toEqual(['message_left']);

    const workItem = await acd.workItem(messageId);
    expect(workItem).toMatchObject({
      tenant: TENANT,
      contact: { contactId: `voicemail-${messageId}`, queue: 'sales', channel: Channel.WORKITEM, priority: 40, data: { caller_number: '13800138000', original_contact_id: `contact-${call.callId}` } },
    });
    expect(acd.enqueued.filter((e) => e.contact?.data.voicemail_message_id === messageId)).toHaveLength(1);
  });

  it('takes a call acd overflows to a voicemail mailbox, reads the caller number from the call, and hands the message to the original queue', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: [2_000], number: '02161234567' });
    await acd.overflowToVoicemail(`overflow-${call.callId}`, call, 'support', 'support-box');
    await gateway.command('hang_up', call.callId);
    const { rows } = await testbed.pool.query<{ messageId: string }>('SELECT message_id AS "messageId" FROM session WHERE call_id = $1', [call.callId]);
    const messageId = rows[0]?.messageId ?? '';
    const left = await events.next('message_left', messageId);
    expect(left.message).toMatchObject({ queue: 'support', mailbox: 'support-box', callerNumber: '02161234567', contactId: `contact-${call.callId}` });
    expect(await acd.workItem(messageId)).toMatchObject({ contact: { queue: 'support', channel: Channel.WORKITEM, data: { mailbox: 'support-box', caller_number: '02161234567' } } });
  });

  it('retries a work item while acd is away, and sets aside one acd refuses, keeping the message either way', async () => {
    await acd.pause();
    const call = newCall();
    gateway.caller(call.callId, { takes: [2_000] });
    const taken = await takeCall(call, { priority: 90 });
    const messageId = taken.ok ? taken.value.messageId : '';
    await events.next('message_left', messageId);
    await until('the work item failed once', async () => (await outboxRow(`${messageId}:enqueue`))?.attempts === 1);
    expect(await outboxRow(`${messageId}:enqueue`)).toMatchObject({ sent: false, refused: false, last_error: expect.stringContaining('UNAVAILABLE') });
    await acd.serve();
    expect(await acd.workItem(messageId)).toMatchObject({ contact: { priority: 90 } });

    const refusedCall = newCall();
    gateway.caller(refusedCall.callId, { takes: [2_000] });
    const refusedTake = await takeCall(refusedCall, { queue: 'closed-queue' });
    const refusedId = refusedTake.ok ? refusedTake.value.messageId : '';
    await events.next('message_left', refusedId);
    await until('the work item is set aside', async () => (await outboxRow(`${refusedId}:enqueue`))?.refused === true);
    expect(await outboxRow(`${refusedId}:enqueue`)).toMatchObject({ sent: false, last_error: expect.stringContaining('NOT_FOUND (contact.queue)') });
    expect((await testbed.pool.query('SELECT 1 FROM message WHERE id = $1', [refusedId])).rowCount).toBe(1);
  });

  async function outboxRow(key: string) {
    const { rows } = await testbed.pool.query<{ attempts: number; sent: boolean; refused: boolean; last_error: string | null }>(
      'SELECT attempts, published_at IS NOT NULL AS sent, refused_at IS NOT NULL AS refused, last_error FROM outbox WHERE message_key = $1',
      [key],
    );
    return rows[0];
  }

  it('serves the message as JSON and its audio with byte ranges', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: [2_000] });
    const taken = await takeCall(call);
    const messageId = taken.ok ? taken.value.messageId : '';
    await events.next('message_left', messageId);
    const size = pcmWav(2_000).length;

    const metadata = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${messageId}`);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({ id: messageId, queue: 'sales', durationMs: 2_000, state: 'new', recording: { contentType: 'audio/wav', sizeBytes: size } });

    const whole = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${messageId}/audio`);
    expect([whole.status, whole.headers.get('accept-ranges'), whole.headers.get('content-type'), whole.headers.get('content-length')]).toEqual([200, 'bytes', 'audio/wav', String(size)]);
    expect(Buffer.from(await whole.arrayBuffer()).equals(pcmWav(2_000))).toBe(true);

    const header = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${messageId}/audio`, { headers: { Range: 'bytes=0-43' } });
    expect([header.status, header.headers.get('content-range'), header.headers.get('content-length')]).toEqual([206, `bytes 0-43/${size}`, '44']);
    expect(Buffer.from(await header.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');

    const tail = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${messageId}/audio`, { headers: { Range: 'bytes=-100' } });
    expect([tail.status, tail.headers.get('content-range')]).toEqual([206, `bytes ${size - 100}-${size - 1}/${size}`]);
    expect(Buffer.from(await tail.arrayBuffer()).equals(pcmWav(2_000).subarray(size - 100))).toBe(true);

    const past = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${messageId}/audio`, { headers: { Range: `bytes=${size}-` } });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${size}`]);
  });

  it('answers 400 naming the bad part of a request, and 404 for a message it does not have', async () => {
    const bad = await fetchAsApi('voicemail', `${baseUrl}/voicemails/acme.corp/not-a-uuid`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_request',
      problems: [
        { field: 'path.tenant', reason: 'must be 1-128 letters, digits, _ or -' },
        { field: 'path.id', reason: 'must be a message id (a UUID)' },
      ],
    });
    const unknown = await fetchAsApi('voicemail', `${baseUrl}/voicemails/${TENANT}/${randomUUID()}/audio`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers 401 on every message and greeting route to requests without a valid token of api’s for voicemail', async () => {
    const routes = [
      { method: 'GET', path: `/voicemails/${TENANT}/${randomUUID()}` },
      { method: 'GET', path: `/voicemails/${TENANT}/${randomUUID()}/audio` },
      { method: 'GET', path: `/greetings/${TENANT}` },
      { method: 'PUT', path: `/greetings/${TENANT}`, body: { media: ['sound:intruder'] } },
      { method: 'PUT', path: `/greetings/${TENANT}/queues/intruded`, body: { media: ['sound:intruder'] } },
      { method: 'DELETE', path: `/greetings/${TENANT}` },
      { method: 'DELETE', path: `/greetings/${TENANT}/queues/intruded` },
    ] as const;
    const answers = await probeServiceIdentity(baseUrl, 'voicemail', routes);
    expect(answers).toHaveLength(routes.length * 4);
    expect(answers).toEqual(answers.map((answer) => ({ ...answer, status: 401, body: { error: 'unauthorized', message: expect.any(String) } })));
    // Nothing got through: no greeting names the intruder's media.
    expect(JSON.stringify(await (await fetchAsApi('voicemail', `${baseUrl}/greetings/${TENANT}`)).json())).not.toContain('sound:intruder');
  });

  it('serves a take only at the signed URL it hands Asterisk, until that expires', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: ['hold'] });
    await takeCall(call);
    const recordingId = await gateway.recordingOf(call.callId);
    await gateway.finishTake(call, recordingId, 1_500);
    const signed = app.get(TakeUrls).urlOf(baseUrl, TENANT, recordingId);
    await until('the take is known', async () => (await fetch(signed)).status === 200);

    const take = await fetch(signed, { headers: { Range: 'bytes=0-43' } });
    expect([take.status, take.headers.get('content-type')]).toEqual([206, 'audio/wav']);
    expect(Buffer.from(await take.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    const url = new URL(signed);
    const signature = url.searchParams.get('signature') ?? '';
    const { rows } = await testbed.pool.query<{ secret: Buffer }>('SELECT secret FROM take_url_key');
    const lapsed = takeUrl(baseUrl, { tenant: TENANT, file: `${recordingId}.wav`, expires: Math.floor(Date.now() / 1_000) - 1 }, rows[0]!.secret);
    const refused = [
      lapsed,
      `${url.origin}${url.pathname}`,
      `${url.origin}${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${signature.slice(1)}A`,
      `${url.origin}${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 60}&signature=${signature}`,
      `${url.origin}/takes/${TENANT}-other/${recordingId}.wav${url.search}`,
    ];
    for (const other of refused) {
      const response = await fetch(other);
      expect({ url: other, status: response.status, body: await response.json() }).toEqual({
        url: other,
        status: 403,
        body: { error: 'forbidden', message: 'a take is served only at the signed URL voicemail gave, until it expires' },
      });
    }
    // api's identity is no key to a take: only voicemail's own URLs are.
    expect((await fetch(`${url.origin}${url.pathname}`, { headers: await serviceAuthHeaders('voicemail') })).status).toBe(403);
    expect((await fetch(app.get(TakeUrls).urlOf(baseUrl, TENANT, randomUUID()))).status).toBe(404);
  });

  it("greets with the queue's greeting, else the tenant's, else the default, as configured over HTTP", async () => {
    const put = (path: string, media: unknown) =>
      fetchAsApi('voicemail', `${baseUrl}/greetings/${TENANT}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ media }) });
    expect((await put('/queues/support', ['sound:support-greeting'])).status).toBe(200);
    expect((await put('', ['sound:acme-greeting'])).status).toBe(200);
    const refused = await put('/queues/support', ['support-greeting']);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ problems: [{ field: 'body.media.0', reason: 'must be a media URI such as sound:vm-intro' }] });
    expect(await (await fetchAsApi('voicemail', `${baseUrl}/greetings/${TENANT}`)).json()).toMatchObject({
      greetings: [
        { queue: '', media: ['sound:acme-greeting'] },
        { queue: 'support', media: ['sound:support-greeting'] },
      ],
    });

    const greetingOf = async (queue: string) => {
      const call = newCall();
      gateway.caller(call.callId, { takes: [1_500] });
      const taken = await takeCall(call, { queue });
      await events.next('message_left', taken.ok ? taken.value.messageId : '');
      return (await gateway.command('play', call.callId)).request.media;
    };
    expect(await greetingOf('support')).toEqual(['sound:support-greeting']);
    expect(await greetingOf('sales')).toEqual(['sound:acme-greeting']);
    expect((await fetchAsApi('voicemail', `${baseUrl}/greetings/${TENANT}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetchAsApi('voicemail', `${baseUrl}/greetings/${TENANT}`, { method: 'DELETE' })).status).toBe(404);
    expect(await greetingOf('sales')).toEqual(['sound:vm-intro']);
  });

  it('records an abandonment at the greeting when the caller hangs up before the beep', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: [], hangsUpAtPrompt: 1 });
    const taken = await takeCall(call);
    const messageId = taken.ok ? taken.value.messageId : '';
    const abandoned = await events.next('message_abandoned', messageId);
    expect(abandoned.message).toMatchObject({ stage: AbandonStage.GREETING, recordedMs: 0, queue: 'sales' });
    expect((await testbed.pool.query('SELECT 1 FROM message WHERE id = $1', [messageId])).rowCount).toBe(0);
    expect(gateway.of(call.callId).map((c) => c.name)).not.toContain('record');
  });

  it('keeps the take a caller hangs up on during review, as they meant to leave it', async () => {
    const call = newCall();
    gateway.caller(call.callId, { takes: [2_500], hangsUpAtPrompt: 2 });
    const taken = await takeCall(call, { review: true });
    const messageId = taken.ok ? taken.value.messageId : '';
    const left = await events.next('message_left', messageId);
    expect(left.message).toMatchObject({ durationMs: 2_500 });
    expect(gateway.of(call.callId).map((c) => c.name)).toEqual(['answer', 'play', 'record', 'collect_digits', 'play']);
  });

  it('refuses a take_call without queue or mailbox with a typed error naming the field', async () => {
    const refused = await takeCall(newCall(), { queue: '' });
    expect(refused).toMatchObject({ ok: false, error: { kind: ErrorKind.INVALID_ARGUMENT, field: 'queue' } });
  });

  it('publishes an event a replica committed to the outbox but died before publishing', async () => {
    const messageId = randomUUID();
    const event = create(VoicemailEvents.messageAbandoned.schema, {
      eventId: `${messageId}:abandoned`,
      call: newCall(),
      occurredAt: timestampNow(),
      messageId,
      stage: AbandonStage.RECORDING,
      recordedMs: 400,
    });
    await addEventToOutbox(testbed.pool, VoicemailEvents.messageAbandoned, event, undefined);
    const published = await events.next('message_abandoned', messageId);
    expect(published.message).toMatchObject({ recordedMs: 400 });
    // Marked once published, so no replica publishes it again.
    await until('the outbox row is marked published', async () => {
      const { rows } = await testbed.pool.query('SELECT 1 FROM outbox WHERE message_key = $1 AND published_at IS NOT NULL', [`${messageId}:abandoned`]);
      return rows.length === 1;
    });
  });
});
