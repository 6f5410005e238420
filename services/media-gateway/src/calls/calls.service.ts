import { create } from '@bufbuild/protobuf';
import { type CallRef, CallRefSchema, CallEvents, ErrorKind, PlaybackEnd } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Context, ROOT_CONTEXT, SpanKind, propagation, trace } from '@opentelemetry/api';
import type {
  Channel,
  ChannelDestroyed,
  ChannelDtmfReceived,
  ChannelHangupRequest,
  ChannelStateChange,
  Playback,
  PlaybackFinished,
  StasisEnd,
  StasisStart,
} from 'ari-client';
import { randomUUID } from 'node:crypto';
import { Gauge, register } from 'prom-client';
import { AriConnection } from '../ari/ari-connection';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { CallEventsNotifier, timestampOf } from './calls.events';
import { CallGone, commandFailureFromAri } from './calls.errors';
import { CLOCK, type Clock } from './clock';
import { type CollectRule, type Collected, DigitCollector } from './digit-collector';
import { CHANNEL_VARS, type Leg, type LiveCall } from './live-call';
import { NORMAL_CLEARING, causeText } from './q850';

/**
 * Live calls of this site: follows ARI events into call events and executes call commands.
 * State that must outlive this process (tenant, trace) rides on channel variables, so a
 * restarted gateway adopts the calls still in Stasis.
 */
@Injectable()
export class CallsService {
  private readonly logger = new Logger(CallsService.name);
  private readonly live = new Map<string, LiveCall>();
  /** Per channel, ARI events are handled one after another, in arrival order. */
  private readonly lanes = new Map<string, Promise<unknown>>();
  /** Leg channel id → the channel id of the call it belongs to. */
  private readonly legOwners = new Map<string, string>();
  private readonly activeCalls = (register.getSingleMetric('lianluo_calls_active') as Gauge<'site'> | undefined) ??
    new Gauge({ name: 'lianluo_calls_active', help: 'Calls in the Stasis application of this site.', labelNames: ['site'] });

  constructor(
    private readonly ari: AriConnection,
    private readonly notifier: CallEventsNotifier,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get site(): string {
    return this.config.SITE;
  }

  // ---- ARI events -------------------------------------------------------------------

  onStasisStart(event: StasisStart, channel: Channel): void {
    if (event.args?.[0] === 'leg') {
      this.onLegAnswered(event, channel, event.args[1] ?? '');
      return;
    }
    this.inLane(channel.id, async () => {
      if (this.live.has(channel.id)) return;
      const call = await this.adopt(channel, true);
      await this.notifier.publish(CallEvents.started, call, `${call.ref.callId}:started`, timestampOf(event.timestamp), {
        ani: channel.caller?.number ?? '',
        aniName: channel.caller?.name ?? '',
        dnis: channel.dialplan?.exten ?? '',
        endpoint: endpointOf(channel.name),
      });
      if (channel.state === 'Up') await this.publishAnswered(call, event.timestamp);
    });
  }

  onStateChange(event: ChannelStateChange, channel: Channel): void {
    const owner = this.legOwners.get(channel.id);
    if (owner) {
      if (channel.state === 'Ringing') this.onLegRinging(event, channel, owner);
      return;
    }
    if (channel.state !== 'Up') return;
    this.inLane(channel.id, async () => {
      const call = this.live.get(channel.id);
      if (call) await this.publishAnswered(call, event.timestamp);
    });
  }

  onDtmf(event: ChannelDtmfReceived, channel: Channel): void {
    this.inLane(channel.id, async () => {
      const call = this.live.get(channel.id);
      if (!call) return;
      if (call.collector && !call.collector.done) call.collector.feed(event.digit);
      else call.typeAhead += event.digit;
      for (const playbackId of call.interruptiblePlaybacks) void this.stopPlayback(call, playbackId);
      await this.notifier.publish(CallEvents.dtmfReceived, call, `${call.ref.callId}:dtmf:${event.timestamp}:${event.digit}`, timestampOf(event.timestamp), {
        digit: event.digit,
        durationMs: event.duration_ms ?? 0,
      });
    });
  }

  onPlaybackFinished(event: PlaybackFinished, playback: Playback): void {
    const channelId = playback.target_uri?.startsWith('channel:') ? playback.target_uri.slice('channel:'.length) : undefined;
    if (!channelId) return;
    this.inLane(channelId, async () => {
      const call = this.live.get(channelId);
      if (!call) return;
      const stopped = call.stoppedPlaybacks.delete(playback.id);
      call.interruptiblePlaybacks.delete(playback.id);
      const end = playback.state === 'failed' ? PlaybackEnd.FAILED : stopped ? PlaybackEnd.STOPPED : PlaybackEnd.COMPLETED;
      await this.notifier.publish(CallEvents.playbackFinished, call, `${call.ref.callId}:playback:${playback.id}`, timestampOf(event.timestamp), {
        playbackId: playback.id,
        mediaUri: playback.media_uri ?? '',
        end,
      });
    });
  }

  /** The far end (or Asterisk) asks to hang up: remember why, StasisEnd follows. */
  onHangupRequest(event: ChannelHangupRequest, channel: Channel): void {
    const leg = this.legOf(channel.id);
    if (leg && leg.hangupCause === undefined && event.cause && event.cause < 128 && !event.soft) leg.hangupCause = event.cause;
    const call = this.live.get(channel.id);
    if (call && call.hangupCause === undefined && event.cause && event.cause < 128 && !event.soft) call.hangupCause = event.cause;
  }

  /**
   * The channel left our application. Asterisk 22 stops sending a channel's events to the
   * application at StasisEnd, so this (not ChannelDestroyed) is where the call ends for us.
   */
  onStasisEnd(event: StasisEnd, channel: Channel): void {
    if (this.legOwners.has(channel.id)) {
      this.onLegEnded(channel.id, undefined, event.timestamp);
      return;
    }
    this.inLane(channel.id, async () => {
      const call = this.live.get(channel.id);
      if (!call) return;
      const cause = call.hangupCause ?? NORMAL_CLEARING;
      await this.end(call, cause, causeText(cause), event.timestamp);
    });
  }

  onDestroyed(event: ChannelDestroyed, channel: Channel): void {
    if (this.legOwners.has(channel.id)) {
      this.onLegEnded(channel.id, event.cause, event.timestamp);
      return;
    }
    this.inLane(channel.id, async () => {
      const call = this.live.get(channel.id);
      if (!call) return;
      const cause = call.hangupCause ?? event.cause ?? NORMAL_CLEARING;
      await this.end(call, cause, event.cause_txt || causeText(cause), event.timestamp);
    });
  }

  /**
   * After every ARI (re)connection: adopt calls still in our application that we do not
   * know (this process restarted), and end the ones Asterisk no longer has (it restarted).
   */
  async resync(): Promise<void> {
    const channels = await this.ari.client.channels.list();
    const ours = channels.filter((c) => c.dialplan?.app_name === 'Stasis' && (c.dialplan.app_data ?? '').split(',')[0] === this.config.ARI_APP);
    const present = new Set(ours.map((c) => c.id));
    for (const channel of ours) {
      this.inLane(channel.id, async () => {
        if (!this.live.has(channel.id)) await this.adopt(channel, false);
      });
    }
    for (const call of [...this.live.values()]) {
      if (!present.has(call.channelId)) {
        this.inLane(call.channelId, () => this.end(call, 0, 'Channel lost while ARI was disconnected', undefined));
      }
    }
    this.logger.log({ adopted: ours.length, site: this.site }, 'calls resynchronised from ARI');
  }

  // ---- commands ---------------------------------------------------------------------

  /** The live call a command names; `NotForThisInstance` is the caller's concern. */
  callOf(ref: CallRef): LiveCall {
    const call = this.live.get(ref.callId);
    if (!call || call.ref.tenant !== ref.tenant) throw new CallGone(ref.callId);
    return call;
  }

  async answer(ref: CallRef): Promise<void> {
    const call = this.callOf(ref);
    try {
      await this.ari.client.channels.answer({ channelId: call.channelId });
    } catch (error) {
      throw commandFailureFromAri(error, `answer ${ref.callId}`);
    }
  }

  async play(ref: CallRef, media: readonly string[], interruptible: boolean): Promise<string> {
    const call = this.callOf(ref);
    const playbackId = randomUUID();
    if (interruptible) call.interruptiblePlaybacks.add(playbackId);
    try {
      await this.ari.client.channels.play({ channelId: call.channelId, media: media.join(','), playbackId });
    } catch (error) {
      call.interruptiblePlaybacks.delete(playbackId);
      throw commandFailureFromAri(error, `play on ${ref.callId}`);
    }
    return playbackId;
  }

  async collect(ref: CallRef, rule: CollectRule): Promise<Collected> {
    const call = this.callOf(ref);
    if (call.collector && !call.collector.done) {
      throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call ${ref.callId} is already collecting digits`);
    }
    const collector = new DigitCollector(rule, this.clock);
    call.collector = collector;
    const typeAhead = call.typeAhead;
    call.typeAhead = '';
    for (const digit of typeAhead) collector.feed(digit);
    return collector.result;
  }

  /**
   * Dials a leg and resolves once it answers; fails with TIMEOUT when nobody answers in
   * time, FAILED_PRECONDITION when busy, UNAVAILABLE when it cannot be reached. The caller
   * hears nothing of it either way.
   */
  async originate(ref: CallRef, destination: LegTarget, callerId: { number: string; name: string }, timeoutMs: number): Promise<string> {
    const call = this.callOf(ref);
    const legId = `${call.channelId}-${randomUUID().slice(0, 8)}`;
    const endpoint =
      destination.kind === 'pstn'
        ? `PJSIP/${destination.number}@trunk`
        : destination.site === this.site
          ? `PJSIP/${destination.extension}`
          : `PJSIP/${destination.extension}@site-${destination.site}`;
    const leg: Leg = {
      legId,
      destination: endpoint,
      startedAt: this.clock.now(),
      timeoutMs,
      answered: false,
      ringingPublished: false,
      ended: false,
      hangupCause: undefined,
      outcome: undefined,
    };
    const answered = new Promise<void>((resolve, reject) => (leg.outcome = { resolve, reject }));
    call.legs.set(legId, leg);
    this.legOwners.set(legId, call.channelId);
    try {
      await this.ari.client.channels.originate({
        endpoint,
        app: this.config.ARI_APP,
        appArgs: `leg,${call.channelId}`,
        callerId: `"${(callerId.name || call.caller.name).replace(/"/g, '')}" <${callerId.number || call.caller.number}>`,
        timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
        channelId: legId,
        variables: { [CHANNEL_VARS.tenant]: call.ref.tenant, [CHANNEL_VARS.callId]: call.ref.callId },
      } as never);
    } catch (error) {
      call.legs.delete(legId);
      this.legOwners.delete(legId);
      throw commandFailureFromAri(error, `originate ${endpoint} for ${ref.callId}`);
    }
    // Asterisk's own originate timeout ends the leg; this only guards against a lost event.
    const guard = this.clock.setTimeout(() => {
      if (!leg.answered && !leg.ended) {
        leg.outcome?.reject(new CommandFailure(ErrorKind.TIMEOUT, `${endpoint} did not answer within ${timeoutMs} ms`));
        void this.ari.client.channels.hangup({ channelId: legId }).catch(() => undefined);
      }
    }, timeoutMs + 5_000);
    try {
      await answered;
    } finally {
      this.clock.clearTimeout(guard);
    }
    return legId;
  }

  /** Puts the caller and an answered leg into the call's bridge (made on first use). */
  async bridge(ref: CallRef, legId: string, endTogether: boolean): Promise<string> {
    const call = this.callOf(ref);
    const leg = call.legs.get(legId);
    if (!leg || leg.ended) throw CommandFailure.gone(`leg ${legId} of call ${ref.callId} is not live`);
    if (!leg.answered) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `leg ${legId} has not answered yet`);
    const client = this.ari.client;
    try {
      if (!call.bridge) {
        const bridgeId = `${call.channelId}-bridge`;
        await client.bridges.create({ type: 'mixing', bridgeId, name: call.channelId });
        call.bridge = { bridgeId, endTogether };
      }
      await client.bridges.addChannel({ bridgeId: call.bridge.bridgeId, channel: `${call.channelId},${legId}` });
    } catch (error) {
      throw commandFailureFromAri(error, `bridge ${ref.callId} with ${legId}`);
    }
    await this.notifier.publish(CallEvents.bridged, call, `${call.bridge.bridgeId}:${legId}:bridged`, timestampOf(undefined), {
      bridgeId: call.bridge.bridgeId,
      members: [call.channelId, legId],
    });
    return call.bridge.bridgeId;
  }

  async hangUp(ref: CallRef, cause: number): Promise<void> {
    const call = this.callOf(ref);
    call.hangupCause ??= cause || NORMAL_CLEARING;
    try {
      await this.ari.client.channels.hangup({ channelId: call.channelId, reason_code: String(call.hangupCause) } as never);
    } catch (error) {
      throw commandFailureFromAri(error, `hang up ${ref.callId}`);
    }
  }

  // ---- legs -------------------------------------------------------------------------

  private legOf(channelId: string): Leg | undefined {
    const owner = this.legOwners.get(channelId);
    return owner ? this.live.get(owner)?.legs.get(channelId) : undefined;
  }

  private onLegRinging(event: ChannelStateChange, channel: Channel, owner: string): void {
    this.inLane(owner, async () => {
      const call = this.live.get(owner);
      const leg = call?.legs.get(channel.id);
      if (!call || !leg || leg.ringingPublished) return;
      leg.ringingPublished = true;
      await this.notifier.publish(CallEvents.legRinging, call, `${leg.legId}:ringing`, timestampOf(event.timestamp), {
        legId: leg.legId,
        destination: leg.destination,
      });
    });
  }

  private onLegAnswered(event: StasisStart, channel: Channel, owner: string): void {
    this.inLane(owner, async () => {
      const call = this.live.get(owner);
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

  private onLegEnded(channelId: string, destroyCause: number | undefined, timestamp: string | undefined): void {
    const owner = this.legOwners.get(channelId);
    if (!owner) return;
    this.inLane(owner, async () => {
      const call = this.live.get(owner);
      const leg = call?.legs.get(channelId);
      if (!call || !leg || leg.ended) return;
      leg.ended = true;
      call.legs.delete(channelId);
      this.legOwners.delete(channelId);
      const cause = leg.hangupCause ?? destroyCause ?? NORMAL_CLEARING;
      if (!leg.answered) leg.outcome?.reject(this.unansweredFailure(leg, cause));
      await this.notifier.publish(CallEvents.legHungUp, call, `${leg.legId}:hungup`, timestampOf(timestamp), {
        legId: leg.legId,
        cause,
        causeText: causeText(cause),
      });
      if (leg.answered && call.bridge?.endTogether) {
        call.hangupCause ??= NORMAL_CLEARING;
        await this.ari.client.channels.hangup({ channelId: call.channelId }).catch(() => undefined);
      }
    });
  }

  private unansweredFailure(leg: Leg, cause: number): CommandFailure {
    const rang = this.clock.now() - leg.startedAt;
    if (cause === 19 || cause === 18 || rang >= leg.timeoutMs - 500) {
      return new CommandFailure(ErrorKind.TIMEOUT, `${leg.destination} did not answer within ${leg.timeoutMs} ms`);
    }
    if (cause === 17) return new CommandFailure(ErrorKind.FAILED_PRECONDITION, `${leg.destination} is busy`);
    return new CommandFailure(ErrorKind.UNAVAILABLE, `${leg.destination} could not be reached: ${causeText(cause)} (${cause})`);
  }

  // ---- internals --------------------------------------------------------------------

  private inLane(channelId: string, work: () => Promise<void>): void {
    const previous = this.lanes.get(channelId) ?? Promise.resolve();
    const next = previous.then(work).catch((error) => this.logger.error({ channelId, err: error }, 'call event handling failed'));
    this.lanes.set(channelId, next);
    void next.then(() => {
      if (this.lanes.get(channelId) === next && !this.live.has(channelId)) this.lanes.delete(channelId);
    });
  }

  /** Registers a channel as a live call; `fresh` for a new call, otherwise one found at resync. */
  private async adopt(channel: Channel, fresh: boolean): Promise<LiveCall> {
    const client = this.ari.client;
    const variable = async (name: string) =>
      client.channels
        .getChannelVar({ channelId: channel.id, variable: name })
        .then((v) => v.value)
        .catch(() => '');
    const tenant = (await variable(CHANNEL_VARS.tenant)) || this.config.DEFAULT_TENANT;
    let traceContext: Context;
    const stored = fresh ? '' : await variable(CHANNEL_VARS.traceparent);
    if (stored) {
      traceContext = propagation.extract(ROOT_CONTEXT, { traceparent: stored });
    } else {
      const span = trace.getTracer('media-gateway').startSpan('call', {
        kind: SpanKind.SERVER,
        attributes: { 'lianluo.site': this.site, 'lianluo.tenant': tenant, 'lianluo.call_id': channel.id },
      });
      span.end();
      traceContext = trace.setSpan(ROOT_CONTEXT, span);
      const carrier: Record<string, string> = {};
      propagation.inject(traceContext, carrier);
      if (carrier.traceparent) {
        await client.channels
          .setChannelVar({ channelId: channel.id, variable: CHANNEL_VARS.traceparent, value: carrier.traceparent })
          .catch((error: Error) => this.logger.warn({ channelId: channel.id, err: error.message }, 'could not store the call trace on the channel'));
      }
    }
    const call: LiveCall = {
      ref: create(CallRefSchema, { tenant, site: this.site, callId: channel.id }),
      channelId: channel.id,
      caller: { number: channel.caller?.number ?? '', name: channel.caller?.name ?? '' },
      traceContext,
      typeAhead: '',
      collector: undefined,
      interruptiblePlaybacks: new Set(),
      stoppedPlaybacks: new Set(),
      answeredPublished: !fresh && channel.state === 'Up',
      hangupCause: undefined,
      legs: new Map(),
      bridge: undefined,
    };
    this.live.set(channel.id, call);
    this.activeCalls.set({ site: this.site }, this.live.size);
    return call;
  }

  private async publishAnswered(call: LiveCall, timestamp: string | undefined): Promise<void> {
    if (call.answeredPublished) return;
    call.answeredPublished = true;
    await this.notifier.publish(CallEvents.answered, call, `${call.ref.callId}:answered`, timestampOf(timestamp), {});
  }

  private async end(call: LiveCall, cause: number, text: string, timestamp: string | undefined): Promise<void> {
    this.live.delete(call.channelId);
    this.activeCalls.set({ site: this.site }, this.live.size);
    call.collector?.hangUp();
    const client = this.ari.isConnected ? this.ari.client : undefined;
    for (const leg of call.legs.values()) {
      if (leg.ended) continue;
      leg.ended = true;
      this.legOwners.delete(leg.legId);
      leg.outcome?.reject(CommandFailure.gone(`call ${call.ref.callId} ended while ${leg.destination} rang`));
      await client?.channels.hangup({ channelId: leg.legId }).catch(() => undefined);
      await this.notifier.publish(CallEvents.legHungUp, call, `${leg.legId}:hungup`, timestampOf(timestamp), {
        legId: leg.legId,
        cause: NORMAL_CLEARING,
        causeText: causeText(NORMAL_CLEARING),
      });
    }
    if (call.bridge) await client?.bridges.destroy({ bridgeId: call.bridge.bridgeId }).catch(() => undefined);
    await this.notifier.publish(CallEvents.hungUp, call, `${call.ref.callId}:hungup`, timestampOf(timestamp), { cause, causeText: text });
  }

  private async stopPlayback(call: LiveCall, playbackId: string): Promise<void> {
    call.stoppedPlaybacks.add(playbackId);
    call.interruptiblePlaybacks.delete(playbackId);
    await this.ari.client.playbacks.stop({ playbackId }).catch(() => call.stoppedPlaybacks.delete(playbackId));
  }
}

export type LegTarget = { kind: 'agent'; site: string; extension: string } | { kind: 'pstn'; number: string };

/** `PJSIP/trunk-00000001` → `trunk`. */
export function endpointOf(channelName: string | undefined): string {
  const match = /^[A-Za-z]+\/(.+)-[0-9a-f]+$/.exec(channelName ?? '');
  return match?.[1] ?? '';
}
