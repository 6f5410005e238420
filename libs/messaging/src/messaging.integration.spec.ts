// Against the real NATS server with JetStream (scripts/provision.sh starts it). Each run
// speaks in its own namespace and deletes its streams afterwards.
import 'reflect-metadata';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import {
  AnswerCallResultSchema,
  AnswerCallSchema,
  type CallAnswered,
  CallAnsweredSchema,
  CallCommands,
  CallEvents,
  CallHungUpSchema,
  ErrorKind,
} from '@lianluo/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { propagation } from '@opentelemetry/api';
import { register } from 'prom-client';
import { CommandClient } from './command-client';
import { CommandServer, SITE_HEADER } from './command-server';
import { CommandFailure, NotForThisInstance } from './command-failure';
import { DEAD_LETTER_HEADERS, type EventContext, EventConsumer, type UnknownEvent } from './event-consumer';
import { EventPublisher, MESSAGE_TYPE_HEADER } from './event-publisher';
import { MessagingConnection } from './messaging-connection';
import { CommandHandler, EventHandler, UnknownEventHandler } from './messaging.decorators';
import { MessagingModule } from './messaging.module';
import { RecordBucket, deleteNamespaceStreams } from './record-bucket';
import { AckPolicy, headers as natsHeaders } from 'nats';
import { streamNameOf, subjectOf } from './subjects';

const namespace = `t${Math.random().toString(36).slice(2, 10)}`;
const tenant = 'acme';

function options(queueGroup = 'test') {
  return { servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', namespace, connectionName: 'messaging-spec', queueGroup, maxDeliver: 3, ackWaitMs: 5_000 };
}

function answered(eventId: string, callId = 'c1'): CallAnswered {
  return create(CallAnsweredSchema, { eventId, call: { tenant, site: 'bj', callId }, occurredAt: timestampNow() });
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await register.getSingleMetric(name)?.get();
  const matching = metric?.values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)) ?? [];
  return matching.reduce((sum, v) => sum + v.value, 0);
}

/** Resolves when `predicate` holds, checking on every notification; no sleeps. */
function waitUntil<T>(subscribe: (notify: () => void) => void, predicate: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const value = predicate();
      if (value !== undefined) resolve(value);
    };
    subscribe(check);
    check();
  });
}

/** Polls state that announces itself by no notification (a consumer's counts on the server). */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

@Injectable()
class CallEventsRecorder {
  readonly received: { message: CallAnswered; ctx: EventContext; traceId: string | undefined }[] = [];
  readonly failures = new Map<string, number>();
  private listeners: (() => void)[] = [];

  onChange(listener: () => void) {
    this.listeners.push(listener);
  }

  @EventHandler(CallEvents.answered, { durable: 'recorder' })
  onAnswered(message: CallAnswered, ctx: EventContext) {
    if (message.call?.callId === 'always-fails') {
      this.failures.set(message.eventId, (this.failures.get(message.eventId) ?? 0) + 1);
      this.listeners.forEach((l) => l());
      throw new Error('handler cannot cope');
    }
    this.received.push({ message, ctx, traceId: trace.getSpanContext(context.active())?.traceId });
    this.listeners.forEach((l) => l());
  }

  @CommandHandler(CallCommands.answer)
  answer(request: { call?: { callId: string; site: string } }) {
    if (request.call?.site === 'sz') throw new NotForThisInstance('owned by sz');
    if (request.call?.callId === 'gone') throw CommandFailure.gone('call gone has hung up');
    if (request.call?.callId === 'crash') throw new Error('boom');
    return create(AnswerCallResultSchema);
  }
}

/** A consumer of the whole call domain that also keeps what its build has no contract for. */
@Injectable()
class NewerEventsKeeper {
  readonly unknown: { event: UnknownEvent; ctx: EventContext }[] = [];
  private listeners: (() => void)[] = [];

  onChange(listener: () => void) {
    this.listeners.push(listener);
  }

  @EventHandler([CallEvents.started, CallEvents.hungUp], { durable: 'keeper' })
  onKnown() {}

  @UnknownEventHandler({ durable: 'keeper' })
  onUnknown(event: UnknownEvent, ctx: EventContext) {
    this.unknown.push({ event, ctx });
    this.listeners.forEach((l) => l());
  }
}

/** Keeps every finished span and says when one more has ended. */
class SpansRecorder extends InMemorySpanExporter {
  private listeners: (() => void)[] = [];

  onChange(listener: () => void) {
    this.listeners.push(listener);
  }

  override export(spans: ReadableSpan[], done: Parameters<InMemorySpanExporter['export']>[1]): void {
    super.export(spans, done);
    this.listeners.forEach((l) => l());
  }
}

describe('messaging over real NATS JetStream', () => {
  let app: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;
  let connection: MessagingConnection;
  let publisher: EventPublisher;
  let client: CommandClient;
  let recorder: CallEventsRecorder;
  const spans = new SpansRecorder();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

  beforeAll(async () => {
    // The failures below are on purpose; their error logs would only bury real ones.
    Logger.overrideLogger(false);
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    app = await Test.createTestingModule({
      imports: [MessagingModule.forRoot({ ...options(), publishes: ['call'] })],
      providers: [CallEventsRecorder, NewerEventsKeeper],
    }).compile();
    await app.init();
    connection = app.get(MessagingConnection);
    publisher = app.get(EventPublisher);
    client = app.get(CommandClient);
    recorder = app.get(CallEventsRecorder);
  });

  afterAll(async () => {
    await app.close();
    const cleanup = await MessagingConnection.connect(options());
    await deleteNamespaceStreams(cleanup);
    await cleanup.close();
  });

  it('keeps records in a bucket of the namespace, lists them by prefix, and removes a key without leaving a marker', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const text = (entries: { key: string; record: Uint8Array }[]) =>
      entries.map(({ key, record }) => `${key}=${new TextDecoder().decode(record)}`).sort();
    const bucket = await RecordBucket.open(connection, 'records');
    await bucket.put('bj.a', bytes('1'));
    await bucket.put('bj.b', bytes('2'));
    await bucket.put('sz.c', bytes('3'));
    await bucket.put('bj.b', bytes('2b'));
    expect(text(await bucket.entries('bj'))).toEqual(['bj.a=1', 'bj.b=2b']);

    await bucket.remove('bj.a');
    await bucket.remove('bj.never');
    // Another process (a restarted replica) sees what is left.
    const other = await MessagingConnection.connect(options());
    try {
      expect(text(await (await RecordBucket.open(other, 'records')).entries('bj'))).toEqual(['bj.b=2b']);
    } finally {
      await other.close();
    }
    // One message per live key: no delete marker, no older revision.
    expect((await connection.jsm.streams.info(`KV_${bucket.name}`)).state.messages).toBe(2);
  });

  it('delivers a published event once to the durable consumer, with the publisher trace id', async () => {
    const span = trace.getTracer('spec').startSpan('call');
    const traceContext = trace.setSpan(context.active(), span);
    const first = await publisher.publish(CallEvents.answered, answered('e-1'), { traceContext });
    const again = await publisher.publish(CallEvents.answered, answered('e-1'), { traceContext });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(first.subject).toBe(`${namespace}.${tenant}.call.event.answered`);

    // A second distinct event proves the first was not followed by its duplicate.
    await publisher.publish(CallEvents.answered, answered('e-2'));
    await waitUntil((n) => recorder.onChange(n), () => (recorder.received.some((r) => r.message.eventId === 'e-2') ? true : undefined));
    const deliveries = recorder.received.filter((r) => r.message.eventId === 'e-1');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.traceId).toBe(span.spanContext().traceId);
    expect(deliveries[0]?.ctx).toMatchObject({ tenant, eventId: 'e-1', deliveryCount: 1 });
  });

  it('traces a publish as a producer span and its handling as a consumer span under it, with the messaging attributes', async () => {
    const call = trace.getTracer('spec').startSpan('call');
    const published = await publisher.publish(CallEvents.answered, answered('e-traced'), { traceContext: trace.setSpan(context.active(), call) });
    const span = (name: string) => waitUntil((n) => spans.onChange(n), () => spans.getFinishedSpans().find((s) => s.name === name && s.attributes['messaging.message.id'] === 'e-traced'));
    const [publish, consume] = [await span('publish call.answered'), await span('consume call.answered')];
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.operation.type': 'publish', 'messaging.destination.name': published.subject });
    expect(consume.kind).toBe(SpanKind.CONSUMER);
    expect(consume.spanContext().traceId).toBe(call.spanContext().traceId);
    expect(consume.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(consume.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.destination.name': published.subject, 'messaging.consumer.group.name': 'recorder' });
  });

  it('traces a command as a client span and its handling as a server span under it', async () => {
    const outcome = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'traced', call: { tenant, site: 'bj', callId: 'c-traced' } }), { timeoutMs: 2_000 });
    expect(outcome.ok).toBe(true);
    const subject = subjectOf(namespace, tenant, 'call', 'command', 'answer');
    const [request, command] = await waitUntil(
      (n) => spans.onChange(n),
      () => {
        const finished = spans.getFinishedSpans().filter((s) => s.attributes['messaging.destination.name'] === subject);
        const pair = [finished.find((s) => s.kind === SpanKind.CLIENT), finished.find((s) => s.kind === SpanKind.SERVER)];
        return pair[0] && pair[1] ? pair : undefined;
      },
    );
    expect(request?.name).toBe('request call.answer');
    expect(request?.attributes['messaging.operation.type']).toBe('send');
    expect(command?.name).toBe('command call.answer');
    expect(command?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(command?.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.consumer.group.name': 'test' });
  });

  it('refuses to publish an event that breaks its contract', async () => {
    const bad = create(CallAnsweredSchema, { eventId: 'x', call: { tenant, site: '', callId: 'c' }, occurredAt: timestampNow() });
    await expect(publisher.publish(CallEvents.answered, bad)).rejects.toThrow(/call\.site is required/);
  });

  it('dead-letters garbage on the event stream, counts it, and keeps consuming', async () => {
    const before = await metricValue('lianluo_messages_rejected_total', { name: 'answered', reason: 'decode' });
    const subject = subjectOf(namespace, tenant, 'call', 'event', 'answered');
    const garbage = new TextEncoder().encode('\xff\xff not protobuf at all');
    await connection.js.publish(subject, garbage, { msgID: 'garbage-1' });
    // Valid protobuf, invalid content: no call reference.
    await connection.js.publish(subject, toBinary(CallAnsweredSchema, create(CallAnsweredSchema, { eventId: 'e-bad' })), { msgID: 'e-bad' });
    await publisher.publish(CallEvents.answered, answered('e-after-garbage'));

    await waitUntil((n) => recorder.onChange(n), () => (recorder.received.some((r) => r.message.eventId === 'e-after-garbage') ? true : undefined));
    const deadLetters = await readStream(streamNameOf(namespace, 'deadletter'), 2);
    expect(deadLetters.map((m) => m.reason)).toEqual([expect.stringMatching(/^decode: /), expect.stringMatching(/^invalid: call is required/)]);
    expect(deadLetters[0]?.subject).toBe(subject);
    expect(deadLetters[0]?.data).toEqual(garbage);
    expect(await metricValue('lianluo_messages_rejected_total', { name: 'answered', reason: 'decode' })).toBe(before + 1);
  });

  it('hands events its build has no definition for to the @UnknownEventHandler, undecoded', async () => {
    const keeper = app.get(NewerEventsKeeper);
    const headers = natsHeaders();
    headers.set(MESSAGE_TYPE_HEADER, 'lianluo.call.v1.CallTeleported');
    const data = new Uint8Array([10, 3, 116, 45, 49]);
    await connection.js.publish(subjectOf(namespace, tenant, 'call', 'event', 'teleported'), data, { msgID: 't-1', headers });
    const kept = await waitUntil((n) => keeper.onChange(n), () => keeper.unknown.find((u) => u.event.name === 'teleported'));
    expect(kept.event).toEqual({ name: 'teleported', typeName: 'lianluo.call.v1.CallTeleported', data });
    expect(kept.ctx).toMatchObject({ tenant, eventId: 't-1', deliveryCount: 1 });
  });

  it('retries a failing handler a bounded number of times, then dead-letters the event', async () => {
    await publisher.publish(CallEvents.answered, answered('e-fails', 'always-fails'));
    await waitUntil((n) => recorder.onChange(n), () => ((recorder.failures.get('e-fails') ?? 0) >= 3 ? true : undefined));
    const deadLetters = await readStream(streamNameOf(namespace, 'deadletter'), 3);
    expect(deadLetters[2]?.reason).toMatch(/handler failed 3 times: handler cannot cope/);
    expect(recorder.failures.get('e-fails')).toBe(3);
  });

  it('answers a command with its result', async () => {
    const outcome = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'k1', call: { tenant, site: 'bj', callId: 'c1' } }), { timeoutMs: 2_000 });
    expect(outcome.ok).toBe(true);
  });

  it('answers a failing command with its typed error kind', async () => {
    const gone = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'k2', call: { tenant, site: 'bj', callId: 'gone' } }), { timeoutMs: 2_000 });
    expect(gone).toMatchObject({ ok: false, error: { kind: ErrorKind.GONE, message: 'call gone has hung up' } });
    const crash = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'k3', call: { tenant, site: 'bj', callId: 'crash' } }), { timeoutMs: 2_000 });
    expect(crash).toMatchObject({ ok: false, error: { kind: ErrorKind.INTERNAL } });
  });

  it('replies to garbage on a command subject with INVALID_ARGUMENT, counts it, and keeps serving', async () => {
    const before = await metricValue('lianluo_messages_rejected_total', { kind: 'command', name: 'answer' });
    const subject = subjectOf(namespace, tenant, 'call', 'command', 'answer');
    const reply = await connection.nc.request(subject, new TextEncoder().encode('garbage'), { timeout: 2_000 });
    const decoded = fromBinary(CallCommands.answer.reply, reply.data);
    expect(decoded.outcome).toMatchObject({ case: 'error', value: { kind: ErrorKind.INVALID_ARGUMENT } });

    const missing = await connection.nc.request(subject, toBinary(AnswerCallSchema, create(AnswerCallSchema, { commandId: 'k4' })), { timeout: 2_000 });
    expect(fromBinary(CallCommands.answer.reply, missing.data).outcome).toMatchObject({
      case: 'error',
      value: { kind: ErrorKind.INVALID_ARGUMENT, field: 'call' },
    });

    const otherTenant = subjectOf(namespace, 'other', 'call', 'command', 'answer');
    const mismatch = await connection.nc.request(otherTenant, toBinary(AnswerCallSchema, create(AnswerCallSchema, { commandId: 'k5', call: { tenant, site: 'bj', callId: 'c' } })), { timeout: 2_000 });
    expect(fromBinary(CallCommands.answer.reply, mismatch.data).outcome).toMatchObject({
      case: 'error',
      value: { kind: ErrorKind.INVALID_ARGUMENT, field: 'call.tenant' },
    });
    expect(await metricValue('lianluo_messages_rejected_total', { kind: 'command', name: 'answer' })).toBe(before + 3);

    const stillServing = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'k6', call: { tenant, site: 'bj', callId: 'c1' } }), { timeoutMs: 2_000 });
    expect(stillServing.ok).toBe(true);
  });

  it('validates a command before sending it and reports transport failures as typed errors', async () => {
    const invalid = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: '', call: { tenant, site: 'bj', callId: 'c' } }), { timeoutMs: 500 });
    expect(invalid).toMatchObject({ ok: false, error: { kind: ErrorKind.INVALID_ARGUMENT, field: 'command_id' } });
    // Owned by another instance: nobody here answers, so the caller's deadline runs out.
    const notMine = await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: 'k7', call: { tenant, site: 'sz', callId: 'c' } }), { timeoutMs: 300 });
    expect(notMine).toMatchObject({ ok: false, error: { kind: ErrorKind.DEADLINE_EXCEEDED } });
    const nobody = await client.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: 'k8', call: { tenant, site: 'bj', callId: 'c' } }), { timeoutMs: 500 });
    expect(nobody).toMatchObject({ ok: false, error: { kind: ErrorKind.UNAVAILABLE } });
  });

  it("drops another site's command unread, and answers a command whose site header and payload disagree", async () => {
    // A namespace of its own: the module's handler above would answer these too.
    const sitesNamespace = `${namespace}sites`;
    const connectionOf = (site: string) => MessagingConnection.connect({ ...options(`sites-${site}`), namespace: sitesNamespace, site });
    const [bj, sz] = await Promise.all([connectionOf('bj'), connectionOf('sz')]);
    const handled: string[] = [];
    for (const [site, connection] of [['bj', bj], ['sz', sz]] as const) {
      new CommandServer(connection).serve(CallCommands.answer, (request) => {
        handled.push(`${site}:${request.call?.callId}`);
        if (request.call?.site !== site) throw new NotForThisInstance(`owned by ${request.call?.site}`);
        return create(AnswerCallResultSchema);
      });
    }
    await Promise.all([bj.nc.flush(), sz.nc.flush()]); // both subscriptions are on the server
    try {
      const sitesClient = new CommandClient(bj);
      const answer = (callId: string, site: string) =>
        sitesClient.request(CallCommands.answer, create(AnswerCallSchema, { commandId: callId, call: { tenant, site, callId } }), { timeoutMs: 2_000 });
      expect((await answer('at-sz', 'sz')).ok).toBe(true);
      expect((await answer('at-bj', 'bj')).ok).toBe(true);
      // Each handler saw only its own site's command: the other dropped it before decoding.
      expect(handled.sort()).toEqual(['bj:at-bj', 'sz:at-sz']);

      const headers = natsHeaders();
      headers.set(SITE_HEADER, 'sz');
      const request = create(AnswerCallSchema, { commandId: 'lying', call: { tenant, site: 'bj', callId: 'lying' } });
      const reply = await bj.nc.request(subjectOf(sitesNamespace, tenant, 'call', 'command', 'answer'), toBinary(AnswerCallSchema, request), { timeout: 2_000, headers });
      expect(fromBinary(CallCommands.answer.reply, reply.data).outcome).toMatchObject({
        case: 'error',
        value: { kind: ErrorKind.INVALID_ARGUMENT, field: 'call.site' },
      });
      expect(handled).toHaveLength(2);
    } finally {
      await Promise.all([bj.close(), sz.close()]);
    }
  });

  it('hands an ordered consumer the next event only once the previous one is handled, whichever replica takes it', async () => {
    const log: string[] = [];
    let releaseFirst!: () => void;
    const firstReleased = new Promise<void>((resolve) => (releaseFirst = resolve));
    const replica = (name: string) =>
      new EventConsumer(connection, {
        durable: 'in-order',
        definitions: [CallEvents.hungUp],
        maxAckPending: 1,
        handler: async (message) => {
          const { eventId } = message as { eventId: string };
          log.push(`${name} starts ${eventId}`);
          if (eventId === 'o-1') await firstReleased;
          log.push(`ends ${eventId}`);
        },
      });
    const replicas = [replica('a'), replica('b')];
    await Promise.all(replicas.map((r) => r.start()));
    try {
      const hungUp = (eventId: string) => create(CallHungUpSchema, { eventId, call: { tenant, site: 'bj', callId: 'ordered' }, occurredAt: timestampNow() });
      await publisher.publish(CallEvents.hungUp, hungUp('o-1'));
      await publisher.publish(CallEvents.hungUp, hungUp('o-2'));
      const stream = streamNameOf(namespace, 'call');
      // The second event waits on the server, handed to neither replica, while the first is in hand.
      await until('the first event is in hand and the second withheld', async () => {
        const info = await connection.jsm.consumers.info(stream, 'in-order');
        return log.length === 1 && info.num_ack_pending === 1 && info.num_pending === 1;
      });
      releaseFirst();
      await until('both events are handled', async () => log.filter((entry) => entry.startsWith('ends')).length === 2);
      expect(log.map((entry) => entry.replace(/^[ab] /, ''))).toEqual(['starts o-1', 'ends o-1', 'starts o-2', 'ends o-2']);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });

  it('retires a durable consumer no handler uses any more, and a second retirement changes nothing', async () => {
    const stream = await connection.ensureStream('call');
    await connection.jsm.consumers.add(stream, { durable_name: 'retired-one', ack_policy: AckPolicy.Explicit });
    expect(await connection.retireConsumer('call', 'retired-one')).toBe(true);
    await expect(connection.jsm.consumers.info(stream, 'retired-one')).rejects.toThrow(/consumer not found/i);
    expect(await connection.retireConsumer('call', 'retired-one')).toBe(false);
  });

  /** The first `count` entries of a stream, read with an ordered consumer (waits for them). */
  async function readStream(stream: string, count: number) {
    const consumer = await connection.js.consumers.get(stream);
    const messages = await consumer.consume();
    const found: { subject: string; reason: string; data: Uint8Array }[] = [];
    for await (const message of messages) {
      found.push({ subject: message.headers?.get(DEAD_LETTER_HEADERS.subject) ?? '', reason: message.headers?.get(DEAD_LETTER_HEADERS.reason) ?? '', data: message.data });
      if (found.length === count) break;
    }
    await messages.close();
    return found;
  }
});
