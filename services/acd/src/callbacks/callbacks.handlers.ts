import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  AcdEvents,
  type CancelCallback,
  CancelCallbackResultSchema,
  Channel,
  type ContactAbandoned,
  type ContactOverflowed,
  ContactOverflowedSchema,
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

  /** A callback's contact withdrawn by cancel_contact, or overflowed to voicemail, settles its callback. */
  @EventHandler([AcdEvents.contactAbandoned, AcdEvents.contactOverflowed], { durable: 'acd-callback-contacts' })
  async onContactEnded(event: ContactAbandoned | ContactOverflowed, ctx: EventContext): Promise<void> {
    const contact = event.contact;
    if (contact?.channel !== Channel.CALLBACK) return;
    const overflowed = event.$typeName === ContactOverflowedSchema.typeName;
    if (overflowed && event.target.case !== 'voicemailMailbox') return; // still queued, in another queue
    await this.callbacks.onContactEnded(ctx.tenant, contact.contactId, overflowed ? 'overflowed' : 'contact-cancelled');
  }
}
