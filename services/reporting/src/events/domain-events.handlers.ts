import { type EventDefinition } from '@lianluo/contracts';
import { type EventContext, EventHandler, type UnknownEvent, UnknownEventHandler } from '@lianluo/messaging';
import { Inject, Injectable, type Type } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { EventStore } from './event-store';
import { type ReportedEvent } from './reported-event';
import { definitionsByName, reportedEventOf, reportedUnknownEventOf } from './reported-event-of';
import { REPORTING_CONSUMERS, type ReportedDomain } from './reporting-consumers';

/** What a domain's adapter reads from one of its events: the contact or agent it is about, and what it says of it. */
export type EventAbout = Pick<ReportedEvent, 'contactId' | 'agentId' | 'fact'>;

/** A domain's adapter: a decoded, validated event (by its name in the domain) to what it is about. */
export type AboutEvent = (name: string, message: object) => EventAbout;

/**
 * The handlers of one domain's durable consumer (`reporting-<domain>`): every event of the
 * domain into the event store, whole, with what `about` reads from it. An event newer than
 * this build's contracts is stored undecoded rather than acknowledged unread, so events a
 * publisher adds are kept before reporting projects them. One class per domain, all alike.
 */
export function DomainEventsHandlers(domain: ReportedDomain, definitions: readonly EventDefinition[], about: AboutEvent): Type<unknown> {
  const durable = REPORTING_CONSUMERS[domain];
  const definitionOf = definitionsByName(definitions);

  @Injectable()
  class Handlers {
    constructor(
      readonly store: EventStore,
      @Inject(CLOCK) readonly clock: Clock,
    ) {}

    @EventHandler(definitions, { durable })
    async onEvent(message: object, ctx: EventContext): Promise<void> {
      const definition = definitionOf(ctx);
      await this.store.record(reportedEventOf(definition, message as never, ctx, about(definition.name, message)));
    }

    @UnknownEventHandler({ durable })
    async onUnknownEvent(event: UnknownEvent, ctx: EventContext): Promise<void> {
      await this.store.record(reportedUnknownEventOf(domain, event, ctx, this.clock()));
    }
  }

  // Logs and Nest's container name it after its domain: AcdEventsHandlers, IvrEventsHandlers...
  Object.defineProperty(Handlers, 'name', { value: `${domain[0]?.toUpperCase()}${domain.slice(1)}EventsHandlers` });
  return Handlers;
}
