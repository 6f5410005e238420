import { type CallRef, ErrorKind } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallRegistry } from '../calls/call-registry';
import { startCallTrace } from '../calls/call-trace';
import { CommandOutcomes } from '../calls/command-outcomes';
import { CHANNEL_VARS, STASIS_ROLES } from '../calls/live-call';
import { NORMAL_CLEARING } from '../calls/q850';
import { type Dial, type DialRequest, Dialler, callerIdOf } from '../dialling/dialler';

/**
 * New outbound calls (place_call): the customer's leg of a callback. The command's caller
 * chooses the call id and it becomes the channel id, so a repeated placement is recognised:
 * it waits for or gets the first outcome, and nothing is dialled twice. An answered placed
 * call enters our application as `placed,<number>`; from then on CallsService runs it like
 * any other call.
 */
@Injectable()
export class PlacedCallsService {
  /** First outcomes by tenant and call id, whatever the command id of a repeat. */
  private readonly outcomes = new CommandOutcomes();
  /** Placed calls still ringing, by call id (= channel id). */
  private readonly ringing = new Map<string, Dial>();

  constructor(
    private readonly registry: CallRegistry,
    private readonly dialler: Dialler,
  ) {}

  /**
   * Dials `target` as call `ref` and resolves once it answered; fails as originate_leg does
   * (TIMEOUT, FAILED_PRECONDITION when busy or refused, UNAVAILABLE).
   */
  place(ref: CallRef, request: DialRequest): Promise<void> {
    return this.outcomes.once(`${ref.tenant}/${ref.callId}`, () => this.dial(ref, request));
  }

  /** The placed call entered our application: it answered and is a live call now. */
  onAnswered(channelId: string): void {
    const dial = this.ringing.get(channelId);
    if (!dial) return;
    dial.answered = true;
    dial.outcome?.resolve();
  }

  onHangupRequest(channelId: string, cause: number | undefined): void {
    const dial = this.ringing.get(channelId);
    if (dial && dial.hangupCause === undefined && cause) dial.hangupCause = cause;
  }

  /** The channel of a placed call went before it answered. */
  onEnded(channelId: string, destroyCause: number | undefined): void {
    const dial = this.ringing.get(channelId);
    if (dial) this.dialler.ended(dial, dial.hangupCause ?? destroyCause ?? NORMAL_CLEARING);
  }

  private async dial(ref: CallRef, { target, callerId, timeoutMs }: DialRequest): Promise<void> {
    const live = this.registry.get(ref.callId);
    // The first outcome went with a restart, but the call it answered is back from Asterisk.
    if (live?.placed && live.ref.tenant === ref.tenant) return;
    if (live || this.ringing.has(ref.callId)) {
      throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call id ${ref.callId} is taken by another call at site ${this.registry.site}`);
    }
    const dial = this.dialler.dialTo(this.dialler.dialString(target), timeoutMs);
    // Under the command's trace: the callback and the call it places are one trace.
    const { traceparent } = startCallTrace({ site: ref.site, tenant: ref.tenant, callId: ref.callId });
    this.ringing.set(ref.callId, dial);
    try {
      await this.dialler.ring(dial, {
        channelId: ref.callId,
        appArgs: `${STASIS_ROLES.placed},${target.kind === 'pstn' ? target.number : target.extension}`,
        callerId: callerId.number || callerId.name ? callerIdOf(callerId) : undefined,
        variables: {
          [CHANNEL_VARS.tenant]: ref.tenant,
          [CHANNEL_VARS.callId]: ref.callId,
          ...(traceparent ? { [CHANNEL_VARS.traceparent]: traceparent } : {}),
        },
      });
    } finally {
      this.ringing.delete(ref.callId);
    }
  }
}
