import { ALL_ACD_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { DomainEventsHandlers } from '../events/domain-events.handlers';
import { acdEventAbout } from './acd-event-facts';

/** Every acd event into the event store (`reporting-acd`): contacts queued, offered, taken, released; agents' states. */
export const AcdEventsHandlers = DomainEventsHandlers('acd', ALL_ACD_EVENTS as readonly EventDefinition[], acdEventAbout);
