import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { type CallRef, CallCommands, CollectEnd, type CommandDefinition, ErrorKind, type ResultOf } from '@lianluo/contracts';
import { type CommandClient } from '@lianluo/messaging';
import { CallFailed, CallerLeft } from './call-errors';
import { type CallWatch } from './call-watch';

/** Longest prompt waited for (a long greeting); past it the playback_finished event is taken as lost. */
const PLAYBACK_LIMIT_MS = 10 * 60_000;

export interface GatewayCallOptions {
  readonly commandTimeoutMs: number;
  /** Prefix of every command id, so ids are unique per call and a retried command is recognised. */
  readonly commandIdPrefix: string;
}

export interface DigitRule {
  readonly maxDigits: number;
  /** '' for none. */
  readonly terminator: string;
  readonly firstDigitTimeoutMs: number;
  readonly interDigitTimeoutMs: number;
}

export type DigitsEnd = 'max_digits' | 'terminator' | 'first_digit_timeout' | 'inter_digit_timeout';

/** Fields of a command other than those every call command carries. */
export type CommandFields<Req extends DescMessage> = Omit<MessageInitShape<Req>, 'commandId' | 'call' | '$typeName'>;

/**
 * One call as the media gateway's commands and events drive it. GONE means the caller has
 * hung up (CallerLeft); any other failure is CallFailed naming the command.
 */
export class GatewayCall {
  private sequence = 0;

  constructor(
    private readonly commands: CommandClient,
    readonly call: CallRef,
    readonly watch: CallWatch,
    private readonly options: GatewayCallOptions,
  ) {}

  async answer(): Promise<void> {
    await this.send(CallCommands.answer, {});
  }

  async setVariables(variables: Record<string, string>): Promise<void> {
    await this.send(CallCommands.setVariables, { variables });
  }

  async getVariable(name: string): Promise<string> {
    return (await this.send(CallCommands.getVariable, { name })).value;
  }

  /** Starts the media and answers with the playback id, without waiting for it to end. */
  async startPlayback(media: readonly string[], interruptible: boolean): Promise<string> {
    return (await this.send(CallCommands.play, { media: [...media], interruptible })).playbackId;
  }

  /** Resolves once the playback has ended (played out, stopped, or cut short by a key). */
  async playbackFinished(playbackId: string): Promise<void> {
    await this.watch.next(
      `playback ${playbackId}`,
      (event) => (event.name === 'playback_finished' && event.message.playbackId === playbackId ? event.message : undefined),
      PLAYBACK_LIMIT_MS,
    );
  }

  /** Plays and resolves once the media has played, or was cut short by a key when interruptible. */
  async play(media: readonly string[], interruptible: boolean): Promise<void> {
    await this.playbackFinished(await this.startPlayback(media, interruptible));
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.send(CallCommands.stopPlayback, { playbackId });
  }

  async setMusicOnHold(on: boolean, mohClass = ''): Promise<void> {
    await this.send(CallCommands.setMusicOnHold, { on, mohClass });
  }

  /** Keys the caller pressed (those typed ahead included) under the rule; CallerLeft if the caller hangs up meanwhile. */
  async collect(rule: DigitRule): Promise<{ digits: string; end: DigitsEnd }> {
    const longest = rule.firstDigitTimeoutMs + rule.maxDigits * rule.interDigitTimeoutMs;
    const collected = await this.send(CallCommands.collectDigits, { ...rule }, longest + this.options.commandTimeoutMs);
    if (collected.end === CollectEnd.HUNG_UP) throw new CallerLeft();
    return { digits: collected.digits, end: DIGITS_END[collected.end] ?? 'first_digit_timeout' };
  }

  /** Forgets keys pressed so far, so the next key is a fresh choice. */
  async discardKeys(): Promise<void> {
    // Collecting with the shortest timeouts hands back (and so clears) the keys pressed so far.
    await this.send(CallCommands.collectDigits, { maxDigits: 64, firstDigitTimeoutMs: 1, interDigitTimeoutMs: 1 });
  }

  async hangUp(): Promise<void> {
    await this.send(CallCommands.hangUp, {});
  }

  /** Any call command on this call, with a fresh command id; its result, or CallerLeft / CallFailed. */
  async send<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: CommandFields<Req>,
    timeoutMs = this.options.commandTimeoutMs,
  ): Promise<ResultOf<Rep>> {
    const commandId = `${this.options.commandIdPrefix}:${++this.sequence}:${definition.name}`;
    const request = create(definition.request, { ...fields, commandId, call: this.call } as unknown as MessageInitShape<Req>);
    const outcome = await this.commands.request(definition, request, { timeoutMs });
    if (outcome.ok) return outcome.value;
    if (outcome.error.kind === ErrorKind.GONE) throw new CallerLeft();
    throw new CallFailed(definition.name, `${ErrorKind[outcome.error.kind] ?? outcome.error.kind}: ${outcome.error.message}`);
  }
}

const DIGITS_END: Partial<Record<CollectEnd, DigitsEnd>> = {
  [CollectEnd.MAX_DIGITS]: 'max_digits',
  [CollectEnd.TERMINATOR]: 'terminator',
  [CollectEnd.FIRST_DIGIT_TIMEOUT]: 'first_digit_timeout',
  [CollectEnd.INTER_DIGIT_TIMEOUT]: 'inter_digit_timeout',
};
