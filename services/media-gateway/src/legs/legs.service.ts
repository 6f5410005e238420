import { type CallRef, CallEvents, ErrorKind, SupervisorMode, TransferKind } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Bridge, Channel, ChannelEnteredBridge, ChannelLeftBridge, ChannelStateChange, StasisStart } from 'ari-client';
import { randomUUID } from 'node:crypto';
import { AriConnection } from '../ari/ari-connection';
import { CallRegistry } from '../calls/call-registry';
import { CallEventsNotifier, timestampOf } from '../calls/calls.events';
import { commandFailureFromAri } from '../calls/calls.errors';
import { CLOCK, type Clock } from '../calls/clock';
import { BRIDGE_NAME_SEPARATOR, CHANNEL_VARS, type Leg, type LegRole, type LiveCall, STASIS_ROLES } from '../calls/live-call';
import { NORMAL_CLEARING, causeText } from '../calls/q850';
import { type CallerId, type DialRequest, type DialTarget, Dialler, callerIdOf } from '../dialling/dialler';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';

const NO_CALLER_ID: CallerId = { number: '', name: '' };
/** How long joinSupervisor waits for its snoop channel to enter Stasis. */
const SNOOP_STASIS_TIMEOUT_MS = 5_000;

/**
 * The second and further channels of a call (TEL-2, TEL-4): agent legs, transfers,
 * consultations, conferences and supervisors. The caller's channel stays in our
 * application throughout; legs come and go around it in the call's bridge.
 */
@Injectable()
export class LegsService {
  private readonly logger = new Logger(LegsService.name);
  /** Snoop channels asked for and not yet in Stasis, by channel id: resolved by their StasisStart. */
  private readonly snoopsStarting = new Map<string, () => void>();

  constructor(
    private readonly ari: AriConnection,
    private readonly registry: CallRegistry,
    private readonly notifier: CallEventsNotifier,
    private readonly dialler: Dialler,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- commands ---------------------------------------------------------------------

  /**
   * Dials an agent leg and resolves once it answers; fails with TIMEOUT when nobody answers
   * in time, FAILED_PRECONDITION when busy or refused, UNAVAILABLE when it cannot be
   * reached. The caller hears nothing of it either way.
   */
  async originate(ref: CallRef, request: DialRequest): Promise<string> {
    const call = this.registry.callOf(ref);
    const leg = await this.dial(call, request.target, request.callerId, request.timeoutMs, 'agent');
    return leg.legId;
  }

  /** Puts the caller and an answered leg into the call's bridge; a second leg makes a conference. */
  async bridge(ref: CallRef, legId: string, endTogether: boolean): Promise<string> {
    const call = this.registry.callOf(ref);
    const leg = this.answeredLeg(call, legId);
    if (call.consultation && (legId === call.consultation.consultingLegId || legId === call.consultation.consultedLegId)) {
      throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `leg ${legId} is in a consultation; end it first`);
    }
    return this.joinCallBridge(call, [leg], endTogether);
  }

  async hangUpLeg(ref: CallRef, legId: string, cause: number): Promise<void> {
    const call = this.registry.callOf(ref);
    const leg = call.legs.get(legId);
    if (!leg || leg.ended) throw CommandFailure.gone(`leg ${legId} of call ${ref.callId} is not live`);
    leg.hangupCause ??= cause || NORMAL_CLEARING;
    await this.hangUpChannel(legId, leg.hangupCause, `hang up leg ${legId}`);
  }

  /**
   * The legs in the bridge leave, the caller hears music on hold while the destination
   * rings, and is bridged to it on answer. If it does not answer the caller stays on hold
   * and the command fails, so the controller decides what comes next.
   */
  async blindTransfer(ref: CallRef, destination: DialTarget, timeoutMs: number): Promise<string> {
    const call = this.registry.callOf(ref);
    if (call.consultation) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call ${ref.callId} is in a consultation`);
    const leaving = [...call.legs.values()].filter((leg) => leg.role === 'agent' && !leg.ended);
    const endTogether = call.bridge?.endTogether ?? true;
    for (const leg of leaving) leg.released = true;
    await this.startHold(call);
    await Promise.all(leaving.map((leg) => this.hangUpChannel(leg.legId, NORMAL_CLEARING, `transfer away ${leg.legId}`).catch(() => undefined)));
    const target = await this.dial(call, destination, NO_CALLER_ID, timeoutMs, 'agent');
    await this.stopHold(call);
    await this.joinCallBridge(call, [target], endTogether);
    await this.notifier.publish(CallEvents.transferred, call, `${call.ref.callId}:transferred:${target.legId}`, timestampOf(undefined), {
      kind: TransferKind.BLIND,
      fromLegIds: leaving.map((leg) => leg.legId),
      toLegId: target.legId,
    });
    return target.legId;
  }

  /** Attended transfer, step one: the caller holds while the consulting leg talks to the destination. */
  async startConsultation(ref: CallRef, consultingLegId: string, destination: DialTarget, timeoutMs: number): Promise<string> {
    const call = this.registry.callOf(ref);
    if (call.consultation) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call ${ref.callId} is already in a consultation`);
    const consulting = this.answeredLeg(call, consultingLegId);
    if (!call.bridge || !consulting.inBridge) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `leg ${consultingLegId} is not talking to the caller`);
    const client = this.ari.client;
    try {
      await client.bridges.removeChannel({ bridgeId: call.bridge.bridgeId, channel: consultingLegId });
      consulting.inBridge = false;
    } catch (error) {
      throw commandFailureFromAri(error, `take ${consultingLegId} aside`);
    }
    await this.startHold(call);
    let consulted: Leg;
    try {
      consulted = await this.dial(call, destination, { number: call.caller.number, name: call.caller.name }, timeoutMs, 'agent');
    } catch (error) {
      await this.stopHold(call);
      if (!consulting.ended) await this.joinCallBridge(call, [consulting], call.bridge.endTogether).catch(() => undefined);
      throw error;
    }
    const bridgeId = `${call.channelId}-consult-${consulted.legId.slice(-8)}`;
    try {
      await client.bridges.create({ type: 'mixing', bridgeId, name: bridgeName(call.channelId, 'consult', consultingLegId, consulted.legId) });
      await client.bridges.addChannel({ bridgeId, channel: `${consultingLegId},${consulted.legId}` });
    } catch (error) {
      throw commandFailureFromAri(error, `consultation bridge for ${ref.callId}`);
    }
    call.consultation = { bridgeId, consultingLegId, consultedLegId: consulted.legId };
    return consulted.legId;
  }

  /** Attended transfer, step two: hand the caller over (complete) or go back to the caller (cancel). */
  async endConsultation(ref: CallRef, complete: boolean): Promise<void> {
    const call = this.registry.callOf(ref);
    const consultation = call.consultation;
    if (!consultation) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call ${ref.callId} has no consultation`);
    const consulting = call.legs.get(consultation.consultingLegId);
    const consulted = call.legs.get(consultation.consultedLegId);
    const stays = complete ? consulted : consulting;
    const leaves = complete ? consulting : consulted;
    if (!stays || stays.ended) {
      throw CommandFailure.gone(`leg ${complete ? consultation.consultedLegId : consultation.consultingLegId} hung up; the consultation is over`);
    }
    call.consultation = undefined;
    if (leaves) leaves.released = true;
    const client = this.ari.client;
    await client.bridges.destroy({ bridgeId: consultation.bridgeId }).catch(() => undefined);
    if (leaves && !leaves.ended) await this.hangUpChannel(leaves.legId, NORMAL_CLEARING, `end consultation leg ${leaves.legId}`).catch(() => undefined);
    await this.stopHold(call);
    await this.joinCallBridge(call, [stays], call.bridge?.endTogether ?? true);
    if (complete) {
      await this.notifier.publish(CallEvents.transferred, call, `${call.ref.callId}:transferred:${stays.legId}`, timestampOf(undefined), {
        kind: TransferKind.ATTENDED,
        fromLegIds: [consultation.consultingLegId],
        toLegId: stays.legId,
      });
    }
  }

  /**
   * Dials a supervisor and joins them to an agent leg: listen hears both sides unheard,
   * whisper is heard by the agent only (both through a snoop on the agent's channel),
   * barge joins the call's bridge.
   */
  async joinSupervisor(ref: CallRef, agentLegId: string, supervisor: DialTarget, mode: SupervisorMode, timeoutMs: number): Promise<string> {
    const call = this.registry.callOf(ref);
    this.answeredLeg(call, agentLegId);
    const leg = await this.dial(call, supervisor, NO_CALLER_ID, timeoutMs, 'supervisor');
    if (mode === SupervisorMode.BARGE) {
      await this.joinCallBridge(call, [leg], call.bridge?.endTogether ?? true);
      return leg.legId;
    }
    const snoopId = `${leg.legId}-snoop`;
    const bridgeId = `${leg.legId}-supervise`;
    const client = this.ari.client;
    // The snoop enters Stasis a moment after ARI answers for it, and a bridge takes only
    // channels already there ("Channel not in Stasis application"): wait for its StasisStart.
    const snoopInStasis = new Promise<void>((resolve) => this.snoopsStarting.set(snoopId, resolve));
    try {
      await client.channels.snoopChannelWithId({
        channelId: agentLegId,
        snoopId,
        app: this.config.ARI_APP,
        appArgs: `${STASIS_ROLES.snoop},${call.channelId},${leg.legId}`,
        spy: 'both',
        whisper: mode === SupervisorMode.WHISPER ? 'out' : 'none',
      });
      await client.bridges.create({ type: 'mixing', bridgeId, name: bridgeName(call.channelId, 'supervise', leg.legId) });
      await this.within(snoopInStasis, SNOOP_STASIS_TIMEOUT_MS, `snoop ${snoopId} did not enter Stasis within ${SNOOP_STASIS_TIMEOUT_MS} ms`);
      await client.bridges.addChannel({ bridgeId, channel: `${snoopId},${leg.legId}` });
    } catch (error) {
      await this.hangUpChannel(leg.legId, NORMAL_CLEARING, 'supervisor').catch(() => undefined);
      throw commandFailureFromAri(error, `supervise ${agentLegId}`);
    } finally {
      this.snoopsStarting.delete(snoopId);
    }
    leg.supervision = { snoopId, bridgeId };
    return leg.legId;
  }

  private async within(promise: Promise<void>, ms: number, failure: string): Promise<void> {
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => (timer = this.clock.setTimeout(() => reject(new Error(failure)), ms)));
    try {
      await Promise.race([promise, timeout]);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  // ---- ARI events -------------------------------------------------------------------

  /** A channel we dialled entered Stasis: for a leg that means it answered. */
  onStasisStart(event: StasisStart, channel: Channel): void {
    const [role, owner = ''] = event.args ?? [];
    if (role === STASIS_ROLES.snoop) {
      // A snoop is plumbing of its supervisor leg; joinSupervisor may be waiting for it.
      this.snoopsStarting.get(channel.id)?.();
      return;
    }
    this.registry.handleInLane(owner, async () => {
      const call = this.registry.get(owner);
      const leg = call?.legs.get(channel.id);
      if (!call || !leg || leg.ended) {
        // The call ended while this leg rang: nobody is left to talk to.
        await this.ari.client.channels.hangup({ channelId: channel.id }).catch(() => undefined);
        return;
      }
      leg.answered = true;
      await this.notifier.publish(CallEvents.legAnswered, call, `${leg.legId}:answered`, timestampOf(event.timestamp), {
        legId: leg.legId,
        destination: leg.destination,
      });
      leg.outcome?.resolve();
    });
  }

  /** Whether this StasisStart is a channel we dialled (a leg or a snoop) rather than a new call. */
  claims(event: StasisStart): boolean {
    const role = event.args?.[0];
    return role === STASIS_ROLES.leg || role === STASIS_ROLES.snoop;
  }

  onStateChange(event: ChannelStateChange, channel: Channel): void {
    const owner = this.registry.ownerOf(channel.id);
    if (!owner || channel.state !== 'Ringing') return;
    this.registry.handleInLane(owner, async () => {
      const call = this.registry.get(owner);
      const leg = call?.legs.get(channel.id);
      if (!call || !leg || leg.ringingPublished) return;
      leg.ringingPublished = true;
      await this.notifier.publish(CallEvents.legRinging, call, `${leg.legId}:ringing`, timestampOf(event.timestamp), {
        legId: leg.legId,
        destination: leg.destination,
      });
    });
  }

  onHangupRequest(channelId: string, cause: number | undefined): void {
    const call = this.registry.callOfChannel(channelId);
    const leg = call?.legs.get(channelId);
    if (leg && leg.hangupCause === undefined && cause) leg.hangupCause = cause;
  }

  /** Whether the channel is a leg of one of our calls (its end is handled here). */
  isLeg(channelId: string): boolean {
    return this.registry.ownerOf(channelId) !== undefined;
  }

  onLegEnded(channelId: string, destroyCause: number | undefined, timestamp: string | undefined): void {
    const owner = this.registry.ownerOf(channelId);
    if (!owner) return;
    this.registry.handleInLane(owner, async () => {
      const call = this.registry.get(owner);
      const leg = call?.legs.get(channelId);
      if (!call || !leg || leg.ended) return;
      const cause = leg.hangupCause ?? destroyCause ?? NORMAL_CLEARING;
      this.dialler.ended(leg, cause);
      leg.inBridge = false;
      this.registry.removeLeg(call, channelId);
      await this.dismantleSupervision(leg);
      await this.notifier.publish(CallEvents.legHungUp, call, `${leg.legId}:hungup`, timestampOf(timestamp), {
        legId: leg.legId,
        cause,
        causeText: causeText(cause),
      });
      await this.afterLegLeft(call, leg);
    });
  }

  onEnteredBridge(event: ChannelEnteredBridge, bridge: Bridge, channel: Channel): void {
    const call = this.callOfBridge(bridge.id);
    if (!call || bridge.id !== call.bridge?.bridgeId) return;
    const leg = call.legs.get(channel.id);
    if (leg) leg.inBridge = true;
    this.registry.handleInLane(call.channelId, () =>
      this.notifier.publish(CallEvents.bridged, call, `${bridge.id}:${channel.id}:entered:${event.timestamp}`, timestampOf(event.timestamp), {
        bridgeId: bridge.id,
        members: membersOf(bridge),
      }),
    );
  }

  onLeftBridge(event: ChannelLeftBridge, bridge: Bridge, channel: Channel): void {
    const call = this.callOfBridge(bridge.id);
    if (!call || bridge.id !== call.bridge?.bridgeId) return;
    const leg = call.legs.get(channel.id);
    if (leg) leg.inBridge = false;
    this.registry.handleInLane(call.channelId, () =>
      this.notifier.publish(CallEvents.unbridged, call, `${bridge.id}:${channel.id}:left:${event.timestamp}`, timestampOf(event.timestamp), {
        bridgeId: bridge.id,
        member: channel.id,
      }),
    );
  }

  /** The call is over: every leg goes too, each with its own event. */
  async endAll(call: LiveCall, timestamp: string | undefined): Promise<void> {
    const client = this.ari.isConnected ? this.ari.client : undefined;
    for (const leg of [...call.legs.values()]) {
      if (leg.ended) continue;
      leg.ended = true;
      this.registry.removeLeg(call, leg.legId);
      leg.outcome?.reject(CommandFailure.gone(`call ${call.ref.callId} ended while ${leg.destination} rang`));
      await client?.channels.hangup({ channelId: leg.legId }).catch(() => undefined);
      await this.dismantleSupervision(leg);
      await this.notifier.publish(CallEvents.legHungUp, call, `${leg.legId}:hungup`, timestampOf(timestamp), {
        legId: leg.legId,
        cause: NORMAL_CLEARING,
        causeText: causeText(NORMAL_CLEARING),
      });
    }
    for (const bridgeId of [call.bridge?.bridgeId, call.consultation?.bridgeId]) {
      if (bridgeId) await client?.bridges.destroy({ bridgeId }).catch(() => undefined);
    }
  }

  /**
   * After a restart: re-attach the legs still in our application to their calls and the
   * bridges to their calls, from the Stasis arguments and bridge names we gave them.
   */
  async resync(channels: readonly Channel[]): Promise<void> {
    const client = this.ari.client;
    for (const channel of channels) {
      const [, role, owner = '', legRole = 'agent'] = stasisArgs(channel);
      if (role !== STASIS_ROLES.leg || this.registry.ownerOf(channel.id)) continue;
      const call = this.registry.get(owner);
      if (!call) {
        await client.channels.hangup({ channelId: channel.id }).catch(() => undefined);
        continue;
      }
      this.registry.addLeg(call, {
        legId: channel.id,
        destination: channel.name.replace(/-[0-9a-f]+$/, ''),
        startedAt: this.clock.now(),
        timeoutMs: 0,
        answered: channel.state === 'Up',
        ringingPublished: true,
        ended: false,
        hangupCause: undefined,
        role: legRole === 'supervisor' ? 'supervisor' : 'agent',
        inBridge: false,
        released: false,
        supervision: undefined,
        outcome: undefined,
      });
    }
    for (const bridge of await client.bridges.list()) {
      const [callId, kind, first = '', second = ''] = (bridge.name ?? '').split(BRIDGE_NAME_SEPARATOR);
      const call = this.registry.get(callId ?? '');
      if (!call) {
        if (kind) await client.bridges.destroy({ bridgeId: bridge.id }).catch(() => undefined);
        continue;
      }
      if (kind === 'call') {
        call.bridge = { bridgeId: bridge.id, endTogether: first === 'end-together' };
        for (const member of membersOf(bridge)) {
          const leg = call.legs.get(member);
          if (leg) leg.inBridge = true;
        }
      } else if (kind === 'consult') {
        call.consultation = { bridgeId: bridge.id, consultingLegId: first, consultedLegId: second };
      } else if (kind === 'supervise') {
        const leg = call.legs.get(first);
        if (leg) leg.supervision = { snoopId: `${first}-snoop`, bridgeId: bridge.id };
      }
    }
  }

  // ---- internals --------------------------------------------------------------------

  private answeredLeg(call: LiveCall, legId: string): Leg {
    const leg = call.legs.get(legId);
    if (!leg || leg.ended) throw CommandFailure.gone(`leg ${legId} of call ${call.ref.callId} is not live`);
    if (!leg.answered) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `leg ${legId} has not answered yet`);
    return leg;
  }

  private async dial(call: LiveCall, destination: DialTarget, callerId: CallerId, timeoutMs: number, role: LegRole): Promise<Leg> {
    const legId = `${call.channelId}-${randomUUID().slice(0, 8)}`;
    const leg: Leg = {
      ...this.dialler.dialTo(this.dialler.dialString(destination), timeoutMs),
      legId,
      ringingPublished: false,
      role,
      inBridge: false,
      released: false,
      supervision: undefined,
    };
    this.registry.addLeg(call, leg);
    await this.dialler.ring(
      leg,
      {
        channelId: legId,
        appArgs: `${STASIS_ROLES.leg},${call.channelId},${role}`,
        callerId: callerIdOf({ number: callerId.number || call.caller.number, name: callerId.name || call.caller.name }),
        variables: { [CHANNEL_VARS.tenant]: call.ref.tenant, [CHANNEL_VARS.callId]: call.ref.callId },
      },
      () => this.registry.removeLeg(call, legId),
    );
    return leg;
  }

  /** Adds the caller (if not there yet) and the legs to the call's bridge, made on first use. */
  private async joinCallBridge(call: LiveCall, legs: readonly Leg[], endTogether: boolean): Promise<string> {
    const client = this.ari.client;
    try {
      if (!call.bridge) {
        const bridgeId = `${call.channelId}-bridge`;
        await client.bridges.create({ type: 'mixing', bridgeId, name: bridgeName(call.channelId, 'call', endTogether ? 'end-together' : 'keep-caller') });
        call.bridge = { bridgeId, endTogether };
      }
      const members = new Set(membersOf(await client.bridges.get({ bridgeId: call.bridge.bridgeId })));
      const joining = [call.channelId, ...legs.map((leg) => leg.legId)].filter((id) => !members.has(id));
      if (joining.length > 0) await client.bridges.addChannel({ bridgeId: call.bridge.bridgeId, channel: joining.join(',') });
      for (const leg of legs) leg.inBridge = true;
    } catch (error) {
      throw commandFailureFromAri(error, `bridge ${call.ref.callId} with ${legs.map((leg) => leg.legId).join(', ')}`);
    }
    return call.bridge.bridgeId;
  }

  /**
   * An agent leg that leaves ends the call when the bridge said so and nobody else talks
   * to the caller; a consulting agent who hangs up hands the caller to the consulted party.
   */
  private async afterLegLeft(call: LiveCall, leg: Leg): Promise<void> {
    const consultation = call.consultation;
    if (consultation && leg.legId === consultation.consultingLegId && !leg.released) {
      const consulted = call.legs.get(consultation.consultedLegId);
      if (consulted?.answered && !consulted.ended) {
        await this.endConsultation(call.ref, true).catch((error: Error) => this.logger.warn({ err: error.message }, 'transfer on hang-up failed'));
        return;
      }
    }
    if (consultation && leg.legId === consultation.consultedLegId) {
      call.consultation = undefined;
      await this.ari.client.bridges.destroy({ bridgeId: consultation.bridgeId }).catch(() => undefined);
      const consulting = call.legs.get(consultation.consultingLegId);
      await this.stopHold(call);
      if (consulting && !consulting.ended) await this.joinCallBridge(call, [consulting], call.bridge?.endTogether ?? true).catch(() => undefined);
      return;
    }
    if (leg.released || leg.role !== 'agent' || !leg.answered || !call.bridge?.endTogether || call.consultation) return;
    const othersTalking = [...call.legs.values()].some((other) => other.role === 'agent' && other.answered && !other.ended && other.inBridge);
    if (othersTalking) return;
    call.hangupCause ??= NORMAL_CLEARING;
    await this.ari.client.channels.hangup({ channelId: call.channelId }).catch(() => undefined);
  }

  private async dismantleSupervision(leg: Leg): Promise<void> {
    if (!leg.supervision || !this.ari.isConnected) return;
    const client = this.ari.client;
    await client.channels.hangup({ channelId: leg.supervision.snoopId }).catch(() => undefined);
    await client.bridges.destroy({ bridgeId: leg.supervision.bridgeId }).catch(() => undefined);
  }

  /** Music on hold for the caller: alone in the bridge, through the bridge; otherwise on the channel. */
  private async startHold(call: LiveCall): Promise<void> {
    const client = this.ari.client;
    const request = call.bridge
      ? client.bridges.startMoh({ bridgeId: call.bridge.bridgeId, mohClass: 'default' })
      : client.channels.startMoh({ channelId: call.channelId, mohClass: 'default' });
    await request.catch((error: Error) => this.logger.warn({ callId: call.ref.callId, err: error.message }, 'music on hold did not start'));
  }

  private async stopHold(call: LiveCall): Promise<void> {
    const client = this.ari.client;
    if (call.bridge) await client.bridges.stopMoh({ bridgeId: call.bridge.bridgeId }).catch(() => undefined);
    await client.channels.stopMoh({ channelId: call.channelId }).catch(() => undefined);
  }

  private async hangUpChannel(channelId: string, cause: number, what: string): Promise<void> {
    try {
      await this.ari.client.channels.hangup({ channelId, reason_code: String(cause) } as never);
    } catch (error) {
      throw commandFailureFromAri(error, what);
    }
  }

  private callOfBridge(bridgeId: string): LiveCall | undefined {
    const match = /^(.+)-bridge$/.exec(bridgeId);
    return match ? this.registry.get(match[1] ?? '') : undefined;
  }
}

/** Stasis arguments as Asterisk reports them in the channel's dialplan: `lianluo,leg,<call>,<role>`. */
export function stasisArgs(channel: Channel): string[] {
  return channel.dialplan?.app_name === 'Stasis' ? (channel.dialplan.app_data ?? '').split(',') : [];
}

/** Channel ids in a bridge; ARI typings allow a lone string. */
function membersOf(bridge: Bridge): string[] {
  return [bridge.channels ?? []].flat();
}

function bridgeName(callId: string, ...parts: string[]): string {
  return [callId, ...parts].join(BRIDGE_NAME_SEPARATOR);
}
