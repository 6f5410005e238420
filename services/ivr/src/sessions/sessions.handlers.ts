import { timestampDate } from '@bufbuild/protobuf/wkt';
import { AcdEvents, CallEvents, type CallStarted, type ContactAccepted } from '@lianluo/contracts';
import { EventHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** The ivr's doors on NATS: every new inbound call, and who took our callers' calls. */
@Injectable()
export class SessionsHandlers {
  constructor(
    private readonly sessions: SessionsService,
    private readonly repository: SessionsRepository,
  ) {}

  @EventHandler(CallEvents.started, { durable: 'ivr-calls-started' })
  async onCallStarted(message: CallStarted) {
    await this.sessions.start(message);
  }

  /** The agent who took a call is the caller's last agent (ACD-4); contacts without a call are not ours. */
  @EventHandler(AcdEvents.contactAccepted, { durable: 'ivr-last-agents' })
  async onContactAccepted(message: ContactAccepted) {
    const call = message.contact?.call;
    if (!call || !message.agent || !message.occurredAt) return;
    await this.repository.agentAccepted(call.tenant, call.callId, message.agent.agentId, timestampDate(message.occurredAt));
  }
}
