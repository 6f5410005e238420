import { AcdEvents, type ContactOverflowed, VoicemailCommands } from '@lianluo/contracts';
import { EventHandler } from '@lianluo/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { SessionsService } from '../sessions/sessions.service';
import { takeCallOfOverflow } from './overflow-take';

/** acd overflows a waiting caller to a voicemail mailbox: voicemail takes the call. */
@Injectable()
export class OverflowHandlers {
  private readonly logger = new Logger(OverflowHandlers.name);

  constructor(private readonly sessions: SessionsService) {}

  @EventHandler(AcdEvents.contactOverflowed, { durable: 'voicemail-overflows' })
  async onContactOverflowed(event: ContactOverflowed) {
    const take = takeCallOfOverflow(event);
    if (!take) {
      if (event.target.case === 'voicemailMailbox') {
        this.logger.warn({ contactId: event.contact?.contactId, tenant: event.tenant }, 'a contact without a call overflowed to voicemail: nothing to record');
      }
      return;
    }
    const violations = VoicemailCommands.takeCall.validate(take);
    // Thrown, so the consumer retries and then dead-letters it with the reason.
    if (violations.length > 0) throw new Error(`overflow ${event.eventId} makes no usable take_call: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`);
    await this.sessions.take(take);
  }
}
