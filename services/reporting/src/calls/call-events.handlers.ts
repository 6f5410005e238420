import { ALL_CALL_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { DomainEventsHandlers } from '../events/domain-events.handlers';
import { callEventAbout } from './call-event-facts';

/** Every call event into the event store (`reporting-call`); the call is the contact. */
export const CallEventsHandlers = DomainEventsHandlers('call', ALL_CALL_EVENTS as readonly EventDefinition[], callEventAbout);
