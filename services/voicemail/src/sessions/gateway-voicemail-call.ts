import { type CallWatch, GatewayCall, type GatewayCallOptions } from '@lianluo/call-client';
import { CallCommands, type CallRef, RecordTarget } from '@lianluo/contracts';
import { type CommandClient } from '@lianluo/messaging';
import { type Take, type TakeRule, type VoicemailCall } from './voicemail-call';

/** Beyond a take's own limit: the gateway fetching the file from Asterisk and storing it. */
const TAKE_STORING_GRACE_MS = 60_000;

/**
 * A VoicemailCall over the media gateway's call commands and events. GONE means the caller
 * has hung up (CallerLeft); any other error stops the flow with CallFailed.
 */
export class GatewayVoicemailCall implements VoicemailCall {
  private readonly gateway: GatewayCall;

  constructor(commands: CommandClient, call: CallRef, private readonly watch: CallWatch, options: GatewayCallOptions) {
    this.gateway = new GatewayCall(commands, call, watch, options);
  }

  answer(): Promise<void> {
    return this.gateway.answer();
  }

  setLanguage(language: string): Promise<void> {
    return this.gateway.setVariables({ 'CHANNEL(language)': language });
  }

  play(media: readonly string[], interruptible: boolean): Promise<void> {
    return this.gateway.play(media, interruptible);
  }

  discardKeys(): Promise<void> {
    return this.gateway.discardKeys();
  }

  async collectKey(timeoutMs: number): Promise<string | undefined> {
    const { digits } = await this.gateway.collect({ maxDigits: 1, terminator: '', firstDigitTimeoutMs: timeoutMs, interDigitTimeoutMs: 1 });
    return digits || undefined;
  }

  async startTake(rule: TakeRule): Promise<string> {
    const { recordingId } = await this.gateway.send(CallCommands.record, {
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
  callerNumber(): Promise<string> {
    return this.gateway.getVariable('CALLERID(num)');
  }

  hangUp(): Promise<void> {
    return this.gateway.hangUp();
  }
}
