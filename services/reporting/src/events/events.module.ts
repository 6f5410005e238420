import { Module } from '@nestjs/common';
import { AgentStateProjection } from '../agents/agent-state.projection';
import { CallEventsHandlers } from '../calls/call-events.handlers';
import { ContactProjection } from '../contacts/contact.projection';
import { EventStore } from './event-store';
import { EventStoreMetrics } from './event-store.metrics';

/** The event store and its projections, fed by one durable consumer per domain. */
@Module({
  providers: [EventStore, EventStoreMetrics, ContactProjection, AgentStateProjection, CallEventsHandlers],
  exports: [EventStore],
})
export class EventsModule {}
