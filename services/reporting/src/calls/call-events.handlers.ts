import { ALL_CALL_EVENTS, type CallRef, type EventDefinition } from '@lianluo/contracts';
import { type EventContext, EventHandler, type UnknownEvent, UnknownEventHandler } from '@lianluo/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { EventStore } from '../events/event-store';
import { definitionsByName, reportedEventOf, reportedUnknownEventOf } from '../events/reported-event-of';
import { REPORTING_CONSUMERS } from '../events/reporting-consumers';
import { contactFactOfCallEvent } from './call-event-facts';

const callDefinitionOf = definitionsByName(ALL_CALL_EVENTS as readonly EventDefinition[]);

/** Every call event into the event store; the call is the contact. */
@Injectable()
export class CallEventsHandlers {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventHandler(ALL_CALL_EVENTS as readonly EventDefinition[], { durable: REPORTING_CONSUMERS.call })
  async onCallEvent(message: { call?: CallRef }, ctx: EventContext): Promise<void> {
    const definition = callDefinitionOf(ctx);
    const fact = contactFactOfCallEvent(definition.name, message);
    await this.store.record(
      reportedEventOf(definition, message as never, ctx, { contactId: message.call?.callId ?? '', ...(fact && { fact }) }),
    );
  }

  /** A call event newer than this build: stored undecoded rather than acknowledged unread. */
  @UnknownEventHandler({ durable: REPORTING_CONSUMERS.call })
  async onUnknownCallEvent(event: UnknownEvent, ctx: EventContext): Promise<void> {
    await this.store.record(reportedUnknownEventOf('call', event, ctx, this.clock()));
  }
}
