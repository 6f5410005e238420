import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  AcdEvents,
  type CancelCallback,
  CancelCallbackResultSchema,
  Channel,
  type ContactAbandoned,
  type ContactOverflowed,
  type RequestCallback,
  RequestCallbackResultSchema,
} from '@lianluo/contracts';
import { CommandHandler, type EventContext, EventHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { callbackMessageOf, callbackRequestOf } from './callback-message';
import { CallbacksService } from './callbacks.service';

/** Callbacks over NATS: requested (the IVR, the api), cancelled, and their contacts that end without a dial. */
@Injectable()
export class CallbacksHandlers {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly runner: RoutingCommandRunner,
  ) {}

  @CommandHandler(AcdCommands.requestCallback)
  requestCallback(request: RequestCallback) {
    return this.runner.run(request.tenant, 'callback.', async () => {
      const { callback, duplicate } = await this.callbacks.request(request.tenant, callbackRequestOf(request.callback!)); // required by the contract
      return create(RequestCallbackResultSchema, { callback: callbackMessageOf(callback), duplicate });
    });
  }

  @CommandHandler(AcdCommands.cancelCallback)
  cancelCallback(request: CancelCallback) {
    return this.runner.run(request.tenant, '', async () => {
      const { callback, duplicate } = await this.callbacks.cancel(request.tenant, request.callbackId);
      return create(CancelCallbackResultSchema, { callback: callbackMessageOf(callback), duplicate });
    });
  }

  // A callback's contact withdrawn by cancel_contact, or overflowed to voicemail, settles
  // its callback. One consumer per event type: a consumer of two types would be sent every
  // acd event (one filter subject per consumer before NATS 2.10) and acknowledge nearly all
  // of them unread, a dozen messages per call for nothing.

  @EventHandler(AcdEvents.contactAbandoned, { durable: 'acd-callback-abandoned' })
  async onContactAbandoned(event: ContactAbandoned, ctx: EventContext): Promise<void> {
    if (event.contact?.channel !== Channel.CALLBACK) return;
    await this.callbacks.onContactEnded(ctx.tenant, event.contact.contactId, 'contact-cancelled');
  }

  @EventHandler(AcdEvents.contactOverflowed, { durable: 'acd-callback-overflowed' })
  async onContactOverflowed(event: ContactOverflowed, ctx: EventContext): Promise<void> {
    if (event.contact?.channel !== Channel.CALLBACK) return;
    if (event.target.case !== 'voicemailMailbox') return; // still queued, in another queue
    await this.callbacks.onContactEnded(ctx.tenant, event.contact.contactId, 'overflowed');
  }
}
