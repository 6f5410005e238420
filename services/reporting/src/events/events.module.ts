import { Module } from '@nestjs/common';
import { AcdEventsHandlers } from '../acd/acd-events.handlers';
import { AgentStateProjection } from '../agents/agent-state.projection';
import { AgentWrapUps } from '../agents/agent-wrap-ups';
import { CallEventsHandlers } from '../calls/call-events.handlers';
import { ContactProjection } from '../contacts/contact.projection';
import { IvrEventsHandlers } from '../ivr/ivr-events.handlers';
import { VoicemailEventsHandlers } from '../voicemail/voicemail-events.handlers';
import { EventStore } from './event-store';
import { EventStoreMetrics } from './event-store.metrics';

/** The event store and its projections, fed by one durable consumer per domain. */
@Module({
  providers: [
    EventStore,
    EventStoreMetrics,
    ContactProjection,
    AgentStateProjection,
    AgentWrapUps,
    CallEventsHandlers,
    AcdEventsHandlers,
    IvrEventsHandlers,
    VoicemailEventsHandlers,
  ],
  exports: [EventStore],
})
export class EventsModule {}
