import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { type CallRef, CallCommands, CollectEnd, type CommandDefinition, ErrorKind, RecordTarget, type ResultOf } from '@lianluo/contracts';
import { type CommandClient } from '@lianluo/messaging';
import { type CallWatch } from './call-watch';
import { CallerLeft, VoicemailCallFailed } from './sessions.errors';
import { type Take, type TakeRule, type VoicemailCall } from './voicemail-call';

/** Longest prompt we wait for (a long greeting); past it the playback_finished event is taken as lost. */
const PLAYBACK_LIMIT_MS = 10 * 60_000;
/** Beyond a take's own limit: the gateway fetching the file from Asterisk and storing it. */
const TAKE_STORING_GRACE_MS = 60_000;

export interface GatewayCallOptions {
  readonly commandTimeoutMs: number;
  /** Prefix of every command id (the message id), so ids are unique and a retry is recognised. */
  readonly commandIdPrefix: string;
}

/**
 * A VoicemailCall over the media gateway's call commands and events. GONE means the caller
 * has hung up; any other error stops the flow with VoicemailCallFailed.
 */
export class GatewayVoicemailCall implements VoicemailCall {
  private sequence = 0;

  constructor(
    private readonly commands: CommandClient,
    private readonly call: CallRef,
    private readonly watch: CallWatch,
    private readonly options: GatewayCallOptions,
  ) {}

  async answer(): Promise<void> {
    await this.send(CallCommands.answer, {});
  }

  async setLanguage(language: string): Promise<void> {
    await this.send(CallCommands.setVariables, { variables: { 'CHANNEL(language)': language } });
  }

  async play(media: readonly string[], interruptible: boolean): Promise<void> {
    const { playbackId } = await this.send(CallCommands.play, { media: [...media], interruptible });
    await this.watch.next(
      `playback ${playbackId}`,
      (event) => (event.name === 'playback_finished' && event.message.playbackId === playbackId ? event.message : undefined),
      PLAYBACK_LIMIT_MS,
    );
  }

  async discardKeys(): Promise<void> {
    // Collecting with the shortest timeouts hands back (and so clears) the keys pressed so far.
    await this.send(CallCommands.collectDigits, { maxDigits: 64, firstDigitTimeoutMs: 1, interDigitTimeoutMs: 1 });
  }

  async collectKey(timeoutMs: number): Promise<string | undefined> {
    const collected = await this.send(
      CallCommands.collectDigits,
      { maxDigits: 1, firstDigitTimeoutMs: timeoutMs, interDigitTimeoutMs: 1 },
      timeoutMs + this.options.commandTimeoutMs,
    );
    if (collected.end === CollectEnd.HUNG_UP) throw new CallerLeft();
    return collected.digits || undefined;
  }

  async startTake(rule: TakeRule): Promise<string> {
    const { recordingId } = await this.send(CallCommands.record, {
      target: RecordTarget.CALLER,
      format: 'wav',
      maxDurationMs: rule.maxMessageMs,
      maxSilenceMs: rule.silenceStopMs,
      beep: true,
      terminateOn: '#',
    });
    return recordingId;
  }

  takeFinished(recordingId: string, rule: TakeRule): Promise<Take> {
    return this.watch.next(
      `recording ${recordingId}`,
      (event) =>
        event.name === 'recording_finished' && event.message.recordingId === recordingId
          ? {
              recordingId,
              location: event.message.location,
              contentType: event.message.contentType,
              durationMs: event.message.durationMs,
              sizeBytes: Number(event.message.sizeBytes),
            }
          : undefined,
      rule.maxMessageMs + TAKE_STORING_GRACE_MS,
    );
  }

  /** The caller's number as the call presents it (not part of the flow: only to fill in what take_call lacked). */
  async callerNumber(): Promise<string> {
    const { value } = await this.send(CallCommands.getVariable, { name: 'CALLERID(num)' });
    return value;
  }

  async hangUp(): Promise<void> {
    await this.send(CallCommands.hangUp, {});
  }

  private async send<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'call' | '$typeName'>,
    timeoutMs = this.options.commandTimeoutMs,
  ): Promise<ResultOf<Rep>> {
    const commandId = `${this.options.commandIdPrefix}:${++this.sequence}:${definition.name}`;
    const request = create(definition.request, { ...fields, commandId, call: this.call } as unknown as MessageInitShape<Req>);
    const outcome = await this.commands.request(definition, request, { timeoutMs });
    if (outcome.ok) return outcome.value;
    if (outcome.error.kind === ErrorKind.GONE) throw new CallerLeft();
    throw new VoicemailCallFailed(definition.name, `${ErrorKind[outcome.error.kind] ?? outcome.error.kind}: ${outcome.error.message}`);
  }
}
