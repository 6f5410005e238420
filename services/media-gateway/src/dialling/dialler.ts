import { ErrorKind, type LegDestination } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { AriConnection } from '../ari/ari-connection';
import { CLOCK, type Clock } from '../calls/clock';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { dialFailure, originateFailure } from './dial-failure';

/** Where a dial goes: an agent phone at a site, or a PSTN number through the trunk. */
export type DialTarget = { kind: 'agent'; site: string; extension: string } | { kind: 'pstn'; number: string };

export interface CallerId {
  readonly number: string;
  readonly name: string;
}

/** What a command that dials asks for: where, shown as whom, how long it rings. */
export interface DialRequest {
  readonly target: DialTarget;
  /** Empty number and name leave the choice to the dialling side. */
  readonly callerId: CallerId;
  readonly timeoutMs: number;
}

/** A channel we dial into our application, from originate until it answers or ends. */
export interface Dial {
  /** What was dialled, e.g. PJSIP/2001@site-sz. */
  readonly destination: string;
  readonly startedAt: number;
  readonly timeoutMs: number;
  answered: boolean;
  ended: boolean;
  hangupCause: number | undefined;
  /** Settles the command waiting for the answer. */
  outcome: { resolve: () => void; reject: (failure: Error) => void } | undefined;
}

/** The channel a dial creates: its id, its role in our application, what it carries. */
export interface DialledChannel {
  readonly channelId: string;
  /** Stasis arguments after the application name, which tell a restarted gateway what the channel is. */
  readonly appArgs: string;
  /** `"name" <number>` shown to the called party; the endpoint's own when undefined. */
  readonly callerId: string | undefined;
  readonly variables: Readonly<Record<string, string>>;
}

/** How long after the ring time Asterisk has to report a dial's end before we stop waiting for it. */
const LOST_EVENT_GRACE_MS = 5_000;

/**
 * Dials channels into our application and waits for their answer: the legs of a call
 * (originate_leg, transfers, supervisors) and new calls (place_call). Whoever follows the
 * dialled channel's events resolves `dial.outcome` when it enters Stasis (it answered) and
 * calls `ended` when it goes.
 */
@Injectable()
export class Dialler {
  constructor(
    private readonly ari: AriConnection,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The PJSIP dial string of a target, seen from this site. */
  dialString(target: DialTarget): string {
    if (target.kind === 'pstn') return `PJSIP/${target.number}@trunk`;
    return target.site === this.config.SITE ? `PJSIP/${target.extension}` : `PJSIP/${target.extension}@site-${target.site}`;
  }

  /** A dial to `destination` that rings for `timeoutMs` from now. */
  dialTo(destination: string, timeoutMs: number): Dial {
    return { destination, startedAt: this.clock.now(), timeoutMs, answered: false, ended: false, hangupCause: undefined, outcome: undefined };
  }

  /**
   * Originates the dial's channel and resolves once it answers. Fails with the dial's
   * failure when it ends unanswered, with TIMEOUT (hanging it up) when Asterisk never
   * reports its end, and with the ARI error when it cannot be originated: then
   * `onNotDialled` runs, as no event will ever come for the channel.
   */
  async ring(dial: Dial, channel: DialledChannel, onNotDialled: () => void = () => undefined): Promise<void> {
    const answered = new Promise<void>((resolve, reject) => (dial.outcome = { resolve, reject }));
    // The call may end (rejecting this) while originate is still on its way, before anyone
    // awaits it: an unhandled rejection would take the whole gateway down. It is awaited below.
    answered.catch(() => undefined);
    try {
      await this.ari.client.channels.originate({
        endpoint: dial.destination,
        app: this.config.ARI_APP,
        appArgs: channel.appArgs,
        ...(channel.callerId === undefined ? {} : { callerId: channel.callerId }),
        timeout: Math.max(1, Math.ceil(dial.timeoutMs / 1000)),
        channelId: channel.channelId,
        variables: channel.variables,
      } as never);
    } catch (error) {
      onNotDialled();
      throw originateFailure(error, dial.destination, channel.channelId);
    }
    // Asterisk's own ring timer ends the channel; this only guards against a lost event.
    const guard = this.clock.setTimeout(() => {
      if (dial.answered || dial.ended) return;
      dial.outcome?.reject(new CommandFailure(ErrorKind.TIMEOUT, `${dial.destination} did not answer within ${dial.timeoutMs} ms`));
      if (this.ari.isConnected) void this.ari.client.channels.hangup({ channelId: channel.channelId }).catch(() => undefined);
    }, dial.timeoutMs + LOST_EVENT_GRACE_MS);
    try {
      await answered;
    } finally {
      this.clock.clearTimeout(guard);
    }
  }

  /** The dialled channel is gone: an unanswered dial fails its command with the reason. */
  ended(dial: Dial, cause: number): void {
    dial.ended = true;
    if (!dial.answered) dial.outcome?.reject(dialFailure(dial, cause, this.clock.now() - dial.startedAt));
  }
}

/** The contract has validated that a destination is there and well formed. */
export function dialTargetOf(destination: LegDestination | undefined): DialTarget {
  const target = destination?.target;
  return target?.case === 'agent'
    ? { kind: 'agent', site: target.value.site, extension: target.value.extension }
    : { kind: 'pstn', number: target?.value ?? '' };
}

/** The dial of an originate_leg or place_call command, whose contract has validated it. */
export function dialRequestOf(command: { destination?: LegDestination; callerIdNumber: string; callerIdName: string; timeoutMs: number }): DialRequest {
  return { target: dialTargetOf(command.destination), callerId: { number: command.callerIdNumber, name: command.callerIdName }, timeoutMs: command.timeoutMs };
}

/** Caller id as ARI's originate takes it: `"name" <number>`. */
export function callerIdOf(callerId: CallerId): string {
  return `"${callerId.name.replace(/"/g, '')}" <${callerId.number}>`;
}

