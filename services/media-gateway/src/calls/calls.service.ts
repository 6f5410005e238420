import { create } from '@bufbuild/protobuf';
import { type CallRef, CallRefSchema, CallEvents, ErrorKind, type LiveCallRecord, PlaybackEnd } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { contextOfTraceparent } from '@lianluo/observability';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Context, ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import type {
  Channel,
  ChannelDestroyed,
  ChannelDtmfReceived,
  ChannelHangupRequest,
  ChannelStateChange,
  Playback,
  PlaybackFinished,
  PlaybackStarted,
  StasisEnd,
  StasisStart,
} from 'ari-client';
import { randomUUID } from 'node:crypto';
import { AriConnection } from '../ari/ari-connection';
import { LegsService, stasisArgs } from '../legs/legs.service';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { PlacedCallsService } from '../placed-calls/placed-calls.service';
import { CallRegistry } from './call-registry';
import { startCallTrace } from './call-trace';
import { CallEventsNotifier, timestampOf } from './calls.events';
import { commandFailureFromAri } from './calls.errors';
import { CLOCK, type Clock } from './clock';
import { type CollectRule, type Collected, DigitCollector } from './digit-collector';
import { CHANNEL_VARS, type LiveCall, STASIS_ROLES } from './live-call';
import { LiveCallLedger } from './live-call-ledger';
import { NumberPlan } from './number-plan';
import { NORMAL_CLEARING, causeText } from './q850';

/**
 * Live calls of this site: follows ARI events into call events and executes call commands.
 * State that must outlive this process (tenant, trace, legs, bridges) rides on channel
 * variables, Stasis arguments and bridge names, so a restarted gateway adopts the calls
 * still in Stasis.
 */
@Injectable()
export class CallsService {
  private readonly logger = new Logger(CallsService.name);

  constructor(
    private readonly ari: AriConnection,
    private readonly registry: CallRegistry,
    private readonly legs: LegsService,
    private readonly placedCalls: PlacedCallsService,
    private readonly notifier: CallEventsNotifier,
    private readonly ledger: LiveCallLedger,
    private readonly numbers: NumberPlan,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get site(): string {
    return this.config.SITE;
  }

  // ---- ARI events -------------------------------------------------------------------

  onStasisStart(event: StasisStart, channel: Channel): void {
    if (this.legs.claims(event)) {
      this.legs.onStasisStart(event, channel);
      return;
    }
    this.registry.handleInLane(channel.id, async () => {
      if (this.registry.has(channel.id)) return;
      const call = await this.adopt(channel, [event.args ?? []].flat(), true);
      await this.ledger.add(call);
      if (call.placed) {
        // A placed call enters our application when the called party answers; nobody routes it, so it never starts.
        await this.publishAnswered(call, event.timestamp);
        this.placedCalls.onAnswered(call.channelId);
        return;
      }
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
    if (this.legs.isLeg(channel.id)) {
      this.legs.onStateChange(event, channel);
      return;
    }
    if (channel.state !== 'Up') return;
    this.registry.handleInLane(channel.id, async () => {
      const call = this.registry.get(channel.id);
      if (call) await this.publishAnswered(call, event.timestamp);
    });
  }

  onDtmf(event: ChannelDtmfReceived, channel: Channel): void {
    const owner = this.registry.callOfChannel(channel.id);
    if (!owner) return;
    this.registry.handleInLane(owner.channelId, async () => {
      const call = this.registry.get(owner.channelId);
      if (!call) return;
      if (channel.id === call.channelId) {
        if (call.collector && !call.collector.done) call.collector.feed(event.digit);
        else call.typeAhead += event.digit;
      }
      for (const [playbackId, target] of call.playbacks) {
        if (target === channel.id && call.interruptiblePlaybacks.has(playbackId)) void this.stopOne(call, playbackId);
      }
      await this.notifier.publish(CallEvents.dtmfReceived, call, `${channel.id}:dtmf:${event.timestamp}:${event.digit}`, timestampOf(event.timestamp), {
        digit: event.digit,
        durationMs: event.duration_ms ?? 0,
        legId: channel.id,
      });
    });
  }

  onPlaybackStarted(event: PlaybackStarted, playback: Playback): void {
    const call = this.callOfPlayback(playback);
    if (!call) return;
    this.registry.handleInLane(call.channelId, () =>
      this.notifier.publish(CallEvents.playbackStarted, call, `${call.ref.callId}:playback:${playback.id}:started`, timestampOf(event.timestamp), {
        playbackId: playback.id,
        mediaUri: playback.media_uri ?? '',
        legId: call.playbacks.get(playback.id) ?? call.channelId,
      }),
    );
  }

  onPlaybackFinished(event: PlaybackFinished, playback: Playback): void {
    const call = this.callOfPlayback(playback);
    if (!call) return;
    this.registry.handleInLane(call.channelId, async () => {
      const stopped = call.stoppedPlaybacks.delete(playback.id);
      const legId = call.playbacks.get(playback.id) ?? call.channelId;
      call.interruptiblePlaybacks.delete(playback.id);
      call.playbacks.delete(playback.id);
      const end = playback.state === 'failed' ? PlaybackEnd.FAILED : stopped ? PlaybackEnd.STOPPED : PlaybackEnd.COMPLETED;
      await this.notifier.publish(CallEvents.playbackFinished, call, `${call.ref.callId}:playback:${playback.id}`, timestampOf(event.timestamp), {
        playbackId: playback.id,
        mediaUri: playback.media_uri ?? '',
        end,
        legId,
      });
    });
  }

  /** The far end (or Asterisk) asks to hang up: remember why, StasisEnd follows. */
  onHangupRequest(event: ChannelHangupRequest, channel: Channel): void {
    const cause = event.cause && event.cause < 128 && !event.soft ? event.cause : undefined;
    this.legs.onHangupRequest(channel.id, cause);
    this.placedCalls.onHangupRequest(channel.id, cause);
    const call = this.registry.get(channel.id);
    if (call && call.hangupCause === undefined && cause) call.hangupCause = cause;
  }

  /**
   * The channel left our application. Asterisk 22 stops sending a channel's events to the
   * application at StasisEnd, so this (not ChannelDestroyed) is where the call ends for us.
   */
  onStasisEnd(event: StasisEnd, channel: Channel): void {
    if (this.legs.isLeg(channel.id)) {
      this.legs.onLegEnded(channel.id, undefined, event.timestamp);
      return;
    }
    this.registry.handleInLane(channel.id, async () => {
      const call = this.registry.get(channel.id);
      if (!call) return;
      const cause = call.hangupCause ?? NORMAL_CLEARING;
      await this.end(call, cause, causeText(cause), event.timestamp);
    });
  }

  onDestroyed(event: ChannelDestroyed, channel: Channel): void {
    if (this.legs.isLeg(channel.id)) {
      this.legs.onLegEnded(channel.id, event.cause, event.timestamp);
      return;
    }
    this.registry.handleInLane(channel.id, async () => {
      const call = this.registry.get(channel.id);
      if (!call) {
        // A placed call that never answered (so never entered our application).
        this.placedCalls.onEnded(channel.id, event.cause);
        return;
      }
      const cause = call.hangupCause ?? event.cause ?? NORMAL_CLEARING;
      await this.end(call, cause, event.cause_txt || causeText(cause), event.timestamp);
    });
  }

  /**
   * After every ARI (re)connection: adopt calls still in our application that we do not
   * know (this process restarted), re-attach their legs and bridges, end the calls Asterisk
   * no longer has (it restarted), and report hung up the calls of the ledger that ended
   * while no gateway was there to see it.
   */
  async resync(): Promise<void> {
    const channels = (await this.ari.client.channels.list()).filter((c) => stasisArgs(c)[0] === this.config.ARI_APP);
    const callers = channels.filter(isCallChannel);
    const present = new Set(callers.map((c) => c.id));
    await Promise.all(
      callers.map((channel) =>
        this.registry.inLane(channel.id, async () => {
          if (!this.registry.has(channel.id)) await this.adopt(channel, stasisArgs(channel).slice(1), false);
        }),
      ),
    );
    await this.legs.resync(channels);
    for (const call of this.registry.all()) {
      if (!present.has(call.channelId)) {
        this.registry.handleInLane(call.channelId, () => this.end(call, 0, 'Channel lost while ARI was disconnected', undefined));
      }
    }
    await this.settleLedger(callers, present).catch((error: Error) =>
      // The calls stay in the ledger: the next resync (ARI reconnection or restart) reports them.
      this.logger.error({ err: error, site: this.site }, 'live-call ledger not reconciled; calls that ended meanwhile are reported at the next resync'),
    );
    this.logger.log({ calls: callers.length, legs: channels.length - callers.length, site: this.site }, 'calls resynchronised from ARI');
  }

  /** The ledger against Asterisk: records the adopted calls it misses, reports hung up the ones Asterisk no longer has. */
  private async settleLedger(callers: readonly Channel[], present: ReadonlySet<string>): Promise<void> {
    const recorded = await this.ledger.calls();
    const inLedger = new Set(recorded.map((record) => record.call!.callId));
    // Adopted but never recorded: the process that announced them died before it could.
    const unrecorded = callers.flatMap((channel) => {
      const call = this.registry.get(channel.id);
      return call && !inLedger.has(call.channelId) ? [call] : [];
    });
    await Promise.all(unrecorded.map((call) => this.ledger.add(call)));
    for (const record of recorded) {
      const callId = record.call!.callId;
      // A call ending right now may still have its entry: its hang-up published twice is a duplicate JetStream drops.
      if (!present.has(callId) && !this.registry.has(callId)) this.registry.handleInLane(callId, () => this.endUnseen(record));
    }
  }

  // ---- commands ---------------------------------------------------------------------

  async answer(ref: CallRef): Promise<void> {
    const call = this.registry.callOf(ref);
    try {
      await this.ari.client.channels.answer({ channelId: call.channelId });
    } catch (error) {
      throw commandFailureFromAri(error, `answer ${ref.callId}`);
    }
  }

  async play(ref: CallRef, media: readonly string[], interruptible: boolean, legId = ''): Promise<string> {
    const call = this.registry.callOf(ref);
    const channelId = this.registry.channelOf(call, legId);
    const playbackId = randomUUID();
    call.playbacks.set(playbackId, channelId);
    if (interruptible) call.interruptiblePlaybacks.add(playbackId);
    try {
      await this.ari.client.channels.play({ channelId, media: media.join(','), playbackId });
    } catch (error) {
      call.interruptiblePlaybacks.delete(playbackId);
      call.playbacks.delete(playbackId);
      throw commandFailureFromAri(error, `play on ${ref.callId}`);
    }
    return playbackId;
  }

  /** Stops one playback, or all of the call's when no id is given; an already finished one is fine. */
  async stopPlayback(ref: CallRef, playbackId: string): Promise<void> {
    const call = this.registry.callOf(ref);
    if (playbackId && !call.playbacks.has(playbackId)) return;
    const ids = playbackId ? [playbackId] : [...call.playbacks.keys()];
    await Promise.all(ids.map((id) => this.stopOne(call, id)));
  }

  async setMusicOnHold(ref: CallRef, legId: string, on: boolean, mohClass: string): Promise<void> {
    const call = this.registry.callOf(ref);
    const channelId = this.registry.channelOf(call, legId);
    const channels = this.ari.client.channels;
    try {
      if (on) await channels.startMoh({ channelId, mohClass: mohClass || 'default' });
      else await channels.stopMoh({ channelId });
    } catch (error) {
      throw commandFailureFromAri(error, `music on hold for ${channelId}`);
    }
  }

  async sendDtmf(ref: CallRef, legId: string, digits: string): Promise<void> {
    const call = this.registry.callOf(ref);
    const channelId = this.registry.channelOf(call, legId);
    try {
      await this.ari.client.channels.sendDTMF({ channelId, dtmf: digits, between: 100, duration: 100 });
    } catch (error) {
      throw commandFailureFromAri(error, `send DTMF to ${channelId}`);
    }
  }

  async setVariables(ref: CallRef, legId: string, variables: Readonly<Record<string, string>>): Promise<void> {
    const call = this.registry.callOf(ref);
    const channelId = this.registry.channelOf(call, legId);
    try {
      for (const [variable, value] of Object.entries(variables)) {
        await this.ari.client.channels.setChannelVar({ channelId, variable, value });
      }
    } catch (error) {
      throw commandFailureFromAri(error, `set variables on ${channelId}`);
    }
  }

  async getVariable(ref: CallRef, legId: string, variable: string): Promise<string> {
    const call = this.registry.callOf(ref);
    const channelId = this.registry.channelOf(call, legId);
    try {
      return (await this.ari.client.channels.getChannelVar({ channelId, variable })).value ?? '';
    } catch (error) {
      // An unset variable is a 404 from ARI, which is an empty value to the caller, not a gone call.
      if (/not found|does not exist|unable to read/i.test(String((error as Error)?.message)) && this.registry.has(call.channelId)) {
        const stillThere = await this.ari.client.channels.get({ channelId }).then(() => true, () => false);
        if (stillThere) return '';
      }
      throw commandFailureFromAri(error, `read ${variable} on ${channelId}`);
    }
  }

  async collect(ref: CallRef, rule: CollectRule): Promise<Collected> {
    const call = this.registry.callOf(ref);
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

  async hangUp(ref: CallRef, cause: number): Promise<void> {
    const call = this.registry.callOf(ref);
    call.hangupCause ??= cause || NORMAL_CLEARING;
    try {
      await this.ari.client.channels.hangup({ channelId: call.channelId, reason_code: String(call.hangupCause) } as never);
    } catch (error) {
      throw commandFailureFromAri(error, `hang up ${ref.callId}`);
    }
  }

  // ---- internals --------------------------------------------------------------------

  /**
   * Registers a channel as a live call, from its Stasis arguments (after the application
   * name); `fresh` for a call entering our application now, otherwise one found at resync.
   */
  private async adopt(channel: Channel, stasisArguments: readonly string[], fresh: boolean): Promise<LiveCall> {
    const client = this.ari.client;
    const variable = async (name: string) =>
      client.channels
        .getChannelVar({ channelId: channel.id, variable: name })
        .then((v) => v.value)
        .catch(() => '');
    const placedTo = stasisArguments[0] === STASIS_ROLES.placed ? (stasisArguments[1] ?? '') : undefined;
    // A caller's dialled number names its tenant (TEL-5), kept on the channel for a gateway that
    // finds the call at resync; a call we placed, or a number outside the plan, keeps the tenant
    // its channel carries (the trunk's), else the default.
    const planned = fresh && placedTo === undefined ? this.numbers.tenantOf(channel.dialplan?.exten ?? '') : undefined;
    const tenant = planned ?? ((await variable(CHANNEL_VARS.tenant)) || this.config.DEFAULT_TENANT);
    if (planned) {
      await client.channels
        .setChannelVar({ channelId: channel.id, variable: CHANNEL_VARS.tenant, value: planned })
        .catch((error: Error) => this.logger.warn({ channelId: channel.id, err: error.message }, 'could not store the call tenant on the channel'));
    }
    let traceContext: Context;
    // A call that just arrived starts its trace; one we placed or found at resync has its trace on the channel.
    const stored = fresh && placedTo === undefined ? '' : await variable(CHANNEL_VARS.traceparent);
    if (stored) {
      traceContext = propagation.extract(ROOT_CONTEXT, { traceparent: stored });
    } else {
      const started = startCallTrace({ site: this.site, tenant, callId: channel.id });
      traceContext = started.context;
      if (started.traceparent) {
        await client.channels
          .setChannelVar({ channelId: channel.id, variable: CHANNEL_VARS.traceparent, value: started.traceparent })
          .catch((error: Error) => this.logger.warn({ channelId: channel.id, err: error.message }, 'could not store the call trace on the channel'));
      }
    }
    const call: LiveCall = {
      ref: create(CallRefSchema, { tenant, site: this.site, callId: channel.id }),
      channelId: channel.id,
      placed: placedTo !== undefined,
      caller: placedTo === undefined ? { number: channel.caller?.number ?? '', name: channel.caller?.name ?? '' } : { number: placedTo, name: '' },
      traceContext,
      typeAhead: '',
      collector: undefined,
      interruptiblePlaybacks: new Set(),
      stoppedPlaybacks: new Set(),
      answeredPublished: !fresh && channel.state === 'Up',
      hangupCause: undefined,
      legs: new Map(),
      bridge: undefined,
      consultation: undefined,
      playbacks: new Map(),
      recordings: new Map(),
    };
    this.registry.add(call);
    return call;
  }

  private async publishAnswered(call: LiveCall, timestamp: string | undefined): Promise<void> {
    if (call.answeredPublished) return;
    call.answeredPublished = true;
    await this.notifier.publish(CallEvents.answered, call, `${call.ref.callId}:answered`, timestampOf(timestamp), {});
  }

  private async end(call: LiveCall, cause: number, text: string, timestamp: string | undefined): Promise<void> {
    call.collector?.hangUp();
    await this.legs.endAll(call, timestamp);
    this.registry.remove(call);
    await this.notifier.publish(CallEvents.hungUp, call, `${call.ref.callId}:hungup`, timestampOf(timestamp), { cause, causeText: text });
    await this.ledger.remove(call.ref.callId);
  }

  /** A call of the ledger that Asterisk no longer has and no process saw end. */
  private async endUnseen(record: LiveCallRecord): Promise<void> {
    const call = { ref: record.call!, traceContext: contextOfTraceparent(record.traceparent) ?? ROOT_CONTEXT };
    await this.notifier.publish(CallEvents.hungUp, call, `${call.ref.callId}:hungup`, timestampOf(undefined), {
      cause: 0,
      causeText: 'Call ended while its media gateway was down',
    });
    await this.ledger.remove(call.ref.callId);
    this.logger.warn({ callId: call.ref.callId, tenant: call.ref.tenant, site: this.site }, 'call ended while the gateway was down; reported hung up now');
  }

  private callOfPlayback(playback: Playback): LiveCall | undefined {
    const channelId = playback.target_uri?.startsWith('channel:') ? playback.target_uri.slice('channel:'.length) : undefined;
    return channelId ? this.registry.callOfChannel(channelId) : undefined;
  }

  private async stopOne(call: LiveCall, playbackId: string): Promise<void> {
    call.stoppedPlaybacks.add(playbackId);
    call.interruptiblePlaybacks.delete(playbackId);
    await this.ari.client.playbacks.stop({ playbackId }).catch(() => call.stoppedPlaybacks.delete(playbackId));
  }
}

/**
 * Whether a channel in our application is a call: a caller entered with the bare
 * application name (a trunk leg from another site is transit), or a call we placed. Legs,
 * snoops and transit carry other roles.
 */
function isCallChannel(channel: Channel): boolean {
  const [, role] = stasisArgs(channel);
  return role === STASIS_ROLES.placed || (role === undefined && !endpointOf(channel.name).startsWith('site-'));
}

/** `PJSIP/trunk-00000001` → `trunk`. */
export function endpointOf(channelName: string | undefined): string {
  const match = /^[A-Za-z]+\/(.+)-[0-9a-f]+$/.exec(channelName ?? '');
  return match?.[1] ?? '';
}
