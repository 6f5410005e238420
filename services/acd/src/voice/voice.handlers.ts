import { AcdEvents, type CallHungUp, CallEvents, Channel, type ContactOffered } from '@lianluo/contracts';
import { EventHandler, type EventContext } from '@lianluo/messaging';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CallbackDialler } from '../callbacks/callback-dialler';
import { CallbacksService } from '../callbacks/callbacks.service';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingStore } from '../routing/routing-store';
import { VoiceService } from './voice.service';

/**
 * The acd's side of calls: dials the agent of every voice contact offered (and the
 * customer, then the agent, of every callback offered), and ends a voice contact whose
 * caller hung up (or a callback whose call did). Each durable consumer is shared by all replicas, so
 * one replica handles each event; handling one twice changes nothing twice.
 *
 * A dial lasts as long as the phone rings, and a consumer hands over one event at a time,
 * so an offer is acknowledged once its dial has started, not when it ends: calls ring in
 * parallel. A replica that dies mid-dial leaves the offer to ring out (the timers' RONA).
 */
@Injectable()
export class VoiceHandlers implements OnApplicationShutdown {
  private readonly logger = new Logger(VoiceHandlers.name);
  private readonly dialling = new Set<Promise<unknown>>();

  constructor(
    private readonly voice: VoiceService,
    private readonly callbacks: CallbacksService,
    private readonly callbackDialler: CallbackDialler,
    private readonly store: RoutingStore,
    private readonly runner: RoutingCommandRunner,
  ) {}

  @EventHandler(AcdEvents.contactOffered, { durable: 'acd-voice-offers' })
  onContactOffered(offer: ContactOffered, ctx: EventContext): void {
    const connect = offer.contact?.channel === Channel.CALLBACK ? () => this.callbackDialler.connect(ctx.tenant, offer) : () => this.voice.connect(ctx.tenant, offer);
    const dial = this.runner
      .afterEvent(ctx.tenant, connect)
      .catch((error: unknown) => this.logger.error({ tenant: ctx.tenant, eventId: ctx.eventId, err: error }, 'dialling an offered agent failed; the offer rings out'))
      .finally(() => this.dialling.delete(dial));
    this.dialling.add(dial);
  }

  /** Resolves once every dial started so far has ended (answered, rang out or failed). */
  async idle(): Promise<void> {
    while (this.dialling.size > 0) await Promise.all([...this.dialling]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  /**
   * The caller left: a queued or ringing call is abandoned, a connected one released
   * (wrap-up). A call the acd never queued may be a callback's.
   */
  @EventHandler(CallEvents.hungUp, { durable: 'acd-call-hangups' })
  async onCallHungUp(event: CallHungUp, ctx: EventContext): Promise<void> {
    const call = event.call!; // required by the contract
    await this.runner.afterEvent(ctx.tenant, async () => {
      if ((await this.store.hangUp(ctx.tenant, call.site, call.callId)) === undefined) await this.callbacks.onCallEnded(ctx.tenant, call.site, call.callId);
    });
  }
}
