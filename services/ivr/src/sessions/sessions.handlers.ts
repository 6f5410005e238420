import { CallEvents, type CallStarted } from '@lianluo/contracts';
import { EventHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { SessionsService } from './sessions.service';

/** The ivr's door on NATS: every new inbound call. */
@Injectable()
export class SessionsHandlers {
  constructor(private readonly sessions: SessionsService) {}

  @EventHandler(CallEvents.started, { durable: 'ivr-calls-started' })
  async onCallStarted(message: CallStarted) {
    await this.sessions.start(message);
  }
}
