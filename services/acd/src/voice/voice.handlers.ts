import { AcdEvents, type CallHungUp, CallEvents, type ContactOffered } from '@lianluo/contracts';
import { EventHandler, type EventContext } from '@lianluo/messaging';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingStore } from '../routing/routing-store';
import { VoiceService } from './voice.service';

/**
 * The acd's side of calls: dials the agent of every voice contact offered, and ends a
 * voice contact whose caller hung up. Each durable consumer is shared by all replicas, so
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
    private readonly store: RoutingStore,
    private readonly runner: RoutingCommandRunner,
  ) {}

  @EventHandler(AcdEvents.contactOffered, { durable: 'acd-voice-offers' })
  onContactOffered(offer: ContactOffered, ctx: EventContext): void {
    const dial = this.runner
      .afterEvent(ctx.tenant, () => this.voice.connect(ctx.tenant, offer))
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

  /** The caller left: a queued or ringing call is abandoned, a connected one released (wrap-up). */
  @EventHandler(CallEvents.hungUp, { durable: 'acd-call-hangups' })
  async onCallHungUp(event: CallHungUp, ctx: EventContext): Promise<void> {
    const call = event.call!; // required by the contract
    await this.runner.afterEvent(ctx.tenant, () => this.store.hangUp(ctx.tenant, call.site, call.callId));
  }
}
