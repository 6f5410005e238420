import { ALL_IVR_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { DomainEventsHandlers } from '../events/domain-events.handlers';
import { ivrEventAbout } from './ivr-event-facts';

/** Every ivr event into the event store (`reporting-ivr`): the IVR phase of each call's contact. */
export const IvrEventsHandlers = DomainEventsHandlers('ivr', ALL_IVR_EVENTS as readonly EventDefinition[], ivrEventAbout);
