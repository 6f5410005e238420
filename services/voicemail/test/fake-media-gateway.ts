// A stand-in for the media gateway on NATS, for the integration tests: it answers call
// commands and publishes call events as the real one does, with takes stored in a real
// recording store. The end-to-end test uses the real gateway with Asterisk instead.
import { type DescMessage, type MessageInitShape, type MessageShape, create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { type CallRef, CallCommands, CallEvents, CollectEnd, type CommandDefinition, type EventDefinition, PlaybackEnd, type ResultOf } from '@lianluo/contracts';
import { CommandServer, EventPublisher, MessagingConnection } from '@lianluo/messaging';
import { type RecordingStore } from '@lianluo/recording-store';
import { randomUUID } from 'node:crypto';
import { pcmWav } from './voicemail-harness';

/** What the caller of one call does. */
export interface FakeCaller {
  /** Length of each take in ms; `hold` keeps it recording until the test calls finishTake. */
  readonly takes: readonly (number | 'hold')[];
  /** Keys for successive collect_digits (after the discard of type-ahead); silence after them. */
  readonly keys?: readonly string[];
  /** Hangs up instead of hearing the n-th prompt (1-based). */
  readonly hangsUpAtPrompt?: number;
  /** CALLERID(num) of the call. */
  readonly number?: string;
}

export interface ReceivedCommand {
  readonly name: string;
  readonly callId: string;
  readonly request: MessageShape<DescMessage> & Record<string, unknown>;
}

export class FakeMediaGateway {
  readonly commands: ReceivedCommand[] = [];
  private readonly callers = new Map<string, FakeCaller>();
  private readonly progress = new Map<string, { prompts: number; takes: number; keys: number }>();
  private readonly recordings = new Map<string, string[]>();
  private waiters: { match: (c: ReceivedCommand) => boolean; resolve: (c: ReceivedCommand) => void }[] = [];

  private constructor(
    private readonly connection: MessagingConnection,
    private readonly server: CommandServer,
    private readonly publisher: EventPublisher,
    private readonly store: RecordingStore,
  ) {}

  static async start(namespace: string, store: RecordingStore): Promise<FakeMediaGateway> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'fake-media-gateway', queueGroup: 'fake-media-gateway' });
    const gateway = new FakeMediaGateway(connection, new CommandServer(connection), new EventPublisher(connection), store);
    gateway.serve();
    await connection.ensureStream('call');
    await connection.nc.flush();
    return gateway;
  }

  /** Says what the caller of `callId` will do. */
  caller(callId: string, caller: FakeCaller): void {
    this.callers.set(callId, caller);
  }

  /** The first command `name` for the call (received or still to come). */
  command(name: string, callId: string): Promise<ReceivedCommand> {
    const match = (c: ReceivedCommand) => c.name === name && c.callId === callId;
    const seen = this.commands.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  of(callId: string): ReceivedCommand[] {
    return this.commands.filter((c) => c.callId === callId);
  }

  /** The recording id of the call's first take, once the flow has started it. */
  async recordingOf(callId: string): Promise<string> {
    await this.command('record', callId);
    return this.recordings.get(callId)?.[0] as string;
  }

  /** Ends a held take: stores its audio and publishes call.recording_finished. */
  async finishTake(call: CallRef, recordingId: string, durationMs: number): Promise<void> {
    const stored = await this.store.put({ recordingId, tenant: call.tenant, contentType: 'audio/wav', body: pcmWav(durationMs), metadata: { callId: call.callId } });
    await this.publish(CallEvents.recordingFinished, call, `${recordingId}:finished`, {
      recordingId,
      location: stored.location,
      contentType: 'audio/wav',
      durationMs,
      legId: call.callId,
      sizeBytes: BigInt(stored.sizeBytes),
    });
  }

  /** The caller hangs up: call.hungup, as the gateway publishes it once per call. */
  async hangUp(call: CallRef): Promise<void> {
    await this.publish(CallEvents.hungUp, call, `${call.callId}:hungup`, { cause: 16, causeText: 'Normal Clearing' });
  }

  async close(): Promise<void> {
    await this.server.stop();
    await this.connection.close();
  }

  private serve(): void {
    const ok = <Req extends DescMessage, Rep extends DescMessage>(
      definition: CommandDefinition<Req, Rep>,
      react: (call: CallRef, request: MessageShape<Req>) => Promise<ResultOf<Rep>> | ResultOf<Rep>,
    ) =>
      this.server.serve(definition, async (request) => {
        const call = (request as unknown as { call: CallRef }).call;
        const received = { name: definition.name, callId: call.callId, request: request as ReceivedCommand['request'] };
        this.commands.push(received);
        this.waiters = this.waiters.filter((w) => (w.match(received) ? (w.resolve(received), false) : true));
        return react(call, request);
      });

    ok(CallCommands.answer, () => ({}) as never);
    ok(CallCommands.setVariables, () => ({}) as never);
    ok(CallCommands.getVariable, (call, request) => ({ value: request.name === 'CALLERID(num)' ? (this.callers.get(call.callId)?.number ?? '') : '' }) as never);
    ok(CallCommands.hangUp, (call) => {
      setImmediate(() => void this.hangUp(call));
      return {} as never;
    });
    ok(CallCommands.play, (call, request) => {
      const playbackId = randomUUID();
      const step = this.step(call.callId);
      step.prompts++;
      const hangsUp = this.callers.get(call.callId)?.hangsUpAtPrompt === step.prompts;
      setImmediate(() =>
        void (hangsUp
          ? this.hangUp(call)
          : this.publish(CallEvents.playbackFinished, call, `${call.callId}:playback:${playbackId}`, {
              playbackId,
              mediaUri: request.media.join(','),
              end: PlaybackEnd.COMPLETED,
              legId: call.callId,
            })),
      );
      return { playbackId } as never;
    });
    ok(CallCommands.collectDigits, (call, request) => {
      if (request.maxDigits > 1) return { digits: '', end: CollectEnd.FIRST_DIGIT_TIMEOUT } as never; // discarding type-ahead
      const step = this.step(call.callId);
      const key = this.callers.get(call.callId)?.keys?.[step.keys++];
      return (key ? { digits: key, end: CollectEnd.MAX_DIGITS } : { digits: '', end: CollectEnd.FIRST_DIGIT_TIMEOUT }) as never;
    });
    ok(CallCommands.record, (call) => {
      const recordingId = randomUUID();
      this.recordings.set(call.callId, [...(this.recordings.get(call.callId) ?? []), recordingId]);
      const step = this.step(call.callId);
      const length = this.callers.get(call.callId)?.takes[step.takes++] ?? 3_000;
      if (length !== 'hold') setImmediate(() => void this.finishTake(call, recordingId, length));
      return { recordingId } as never;
    });
  }

  private step(callId: string) {
    let step = this.progress.get(callId);
    if (!step) this.progress.set(callId, (step = { prompts: 0, takes: 0, keys: 0 }));
    return step;
  }

  private async publish<S extends DescMessage>(
    definition: EventDefinition<S>,
    call: CallRef,
    eventId: string,
    fields: Omit<MessageInitShape<S>, 'eventId' | 'call' | 'occurredAt' | '$typeName'>,
  ): Promise<void> {
    await this.publisher.publish(definition, create(definition.schema, { ...fields, eventId, call, occurredAt: timestampNow() } as unknown as MessageInitShape<S>));
  }
}
