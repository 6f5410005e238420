import { create } from '@bufbuild/protobuf';
import {
  type CallHungUp,
  CallEvents,
  type CallRecordingFinished,
  type CallRef,
  type TakeCall,
  TakeCallResultSchema,
  VoicemailCommands,
} from '@lianluo/contracts';
import { CommandHandler, EventHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { SessionsService } from './sessions.service';

/** The doors of the sessions capability on NATS. */
@Injectable()
export class SessionsHandlers {
  constructor(private readonly sessions: SessionsService) {}

  /** The IVR or acd hands a live call over; any replica takes it and drives it. */
  @CommandHandler(VoicemailCommands.takeCall)
  async takeCall(request: TakeCall) {
    return create(TakeCallResultSchema, { messageId: await this.sessions.take(request) });
  }

  /**
   * Every call's end; most calls are not voicemail's and change nothing. With the consumer
   * below, this is what settles a session whose replica died mid-call. (One durable consumer
   * per event name, so each reads only its own subject of the call stream.)
   */
  @EventHandler(CallEvents.hungUp, { durable: 'voicemail-call-hangups' })
  async onCallHungUp(message: CallHungUp) {
    const call = message.call as CallRef;
    await this.sessions.callerGone(call.tenant, call.callId);
  }

  /** Every finished recording; voicemail keeps those of its sessions as takes. */
  @EventHandler(CallEvents.recordingFinished, { durable: 'voicemail-call-recordings' })
  async onRecordingFinished(message: CallRecordingFinished) {
    const call = message.call as CallRef;
    await this.sessions.takeReported(call.tenant, call.callId, {
      recordingId: message.recordingId,
      location: message.location,
      contentType: message.contentType,
      durationMs: message.durationMs,
      sizeBytes: Number(message.sizeBytes),
    });
  }
}
