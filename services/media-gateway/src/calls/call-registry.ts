import { registeredMetric } from '@lianluo/observability';
import { type CallRef } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { CallGone } from './calls.errors';
import { type Leg, type LiveCall } from './live-call';

function gauge(name: string, help: string): Gauge<'site'> {
  return registeredMetric(name, () => new Gauge({ name, help, labelNames: ['site'] }));
}

/**
 * The calls of this site and their legs, and the lanes that serialise work per call: every
 * ARI event and command that changes a call runs in its call's lane, one after another.
 */
@Injectable()
export class CallRegistry {
  private readonly logger = new Logger(CallRegistry.name);
  private readonly live = new Map<string, LiveCall>();
  /** Leg channel id → the channel id of the call it belongs to. */
  private readonly legOwners = new Map<string, string>();
  private readonly lanes = new Map<string, Promise<unknown>>();
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private readonly activeCalls = gauge('lianluo_calls_active', 'Calls in the Stasis application of this site.');
  private readonly activeLegs = gauge('lianluo_legs_active', 'Legs (agent, consultation, supervisor) dialled for calls of this site.');

  constructor(@Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig) {}

  get site(): string {
    return this.config.SITE;
  }

  has(callId: string): boolean {
    return this.live.has(callId);
  }

  get(callId: string): LiveCall | undefined {
    return this.live.get(callId);
  }

  all(): LiveCall[] {
    return [...this.live.values()];
  }

  add(call: LiveCall): void {
    this.live.set(call.channelId, call);
    this.refreshGauges();
  }

  remove(call: LiveCall): void {
    this.live.delete(call.channelId);
    for (const legId of call.legs.keys()) this.legOwners.delete(legId);
    this.refreshGauges();
  }

  addLeg(call: LiveCall, leg: Leg): void {
    call.legs.set(leg.legId, leg);
    this.legOwners.set(leg.legId, call.channelId);
    this.refreshGauges();
  }

  removeLeg(call: LiveCall, legId: string): void {
    call.legs.delete(legId);
    this.legOwners.delete(legId);
    this.refreshGauges();
  }

  /** Set once the calls in Asterisk have been adopted after (re)connecting. */
  markSynced(): void {
    this.synced = true;
    for (const wake of this.syncWaiters.splice(0)) wake();
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /**
   * Resolves once the first resync after start-up is done (or after `maxWaitMs`), so a
   * command that arrives while a restarted gateway is still adopting its calls finds them.
   */
  whenSynced(maxWaitMs: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The call a channel belongs to, as its caller or as one of its legs. */
  callOfChannel(channelId: string): LiveCall | undefined {
    return this.live.get(channelId) ?? this.live.get(this.legOwners.get(channelId) ?? '');
  }

  ownerOf(legChannelId: string): string | undefined {
    return this.legOwners.get(legChannelId);
  }

  /** The live call a command names; a call of another tenant is as good as gone. */
  callOf(ref: CallRef): LiveCall {
    const call = this.live.get(ref.callId);
    if (!call || call.ref.tenant !== ref.tenant) throw new CallGone(ref.callId);
    return call;
  }

  /** The channel a command means: the caller for an empty leg id (or the call id), else an answered leg. */
  channelOf(call: LiveCall, legId: string): string {
    if (!legId || legId === call.channelId) return call.channelId;
    const leg = call.legs.get(legId);
    if (!leg || leg.ended) throw CommandFailure.gone(`leg ${legId} of call ${call.ref.callId} is not live`);
    return legId;
  }

  /** Runs work after everything already queued for this call (or channel) has finished. */
  inLane<T>(laneId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.lanes.get(laneId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.lanes.set(laneId, settled);
    void settled.then(() => {
      if (this.lanes.get(laneId) === settled && !this.live.has(laneId)) this.lanes.delete(laneId);
    });
    return next;
  }

  /** inLane for event handling: failures are logged, never thrown at the ARI emitter. */
  handleInLane(laneId: string, work: () => Promise<void>): void {
    this.inLane(laneId, work).catch((error: unknown) => this.logger.error({ channelId: laneId, err: error }, 'call event handling failed'));
  }

  private refreshGauges(): void {
    this.activeCalls.set({ site: this.site }, this.live.size);
    this.activeLegs.set({ site: this.site }, this.legOwners.size);
  }
}
