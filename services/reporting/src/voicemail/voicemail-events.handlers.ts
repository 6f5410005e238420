import { ALL_VOICEMAIL_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { DomainEventsHandlers } from '../events/domain-events.handlers';
import { voicemailEventAbout } from './voicemail-event-facts';

/** Every voicemail event into the event store (`reporting-voicemail`): messages left or abandoned by callers. */
export const VoicemailEventsHandlers = DomainEventsHandlers('voicemail', ALL_VOICEMAIL_EVENTS as readonly EventDefinition[], voicemailEventAbout);
