import { FlowOutcome, type FlowEnded, type InputCollected, IvrEvents, type MenuChosen, QueueChoice, type QueueChoiceMade } from '@lianluo/contracts';
import { aboutCall } from '../calls/call-event-facts';
import { type ContactFact, type IvrOutcome } from '../contacts/contact-fact';
import { type EventAbout } from '../events/domain-events.handlers';

const OUTCOMES: Partial<Record<FlowOutcome, IvrOutcome>> = {
  [FlowOutcome.QUEUED]: 'queued',
  [FlowOutcome.VOICEMAIL]: 'voicemail',
  [FlowOutcome.CALLBACK]: 'callback',
  [FlowOutcome.TRANSFERRED]: 'transferred',
  [FlowOutcome.HUNG_UP]: 'hung-up',
  [FlowOutcome.CALLER_LEFT]: 'caller-left',
  [FlowOutcome.FAILED]: 'failed',
};

/** What an ivr event means for the call's contact: the IVR phase of its record. */
export function factOfIvrEvent(name: string, message: object): ContactFact | undefined {
  switch (name) {
    case IvrEvents.menuChosen.name: {
      const { step, key } = message as MenuChosen;
      return { kind: 'menu-chosen', step, key };
    }
    case IvrEvents.inputCollected.name: {
      const { step, variable } = message as InputCollected;
      return { kind: 'input-collected', step, variable };
    }
    case IvrEvents.flowEnded.name: {
      const ended = message as FlowEnded;
      const outcome = OUTCOMES[ended.outcome];
      return outcome && { kind: 'ivr-ended', flow: ended.flow, outcome, ...(ended.queue && { queue: ended.queue }) };
    }
    case IvrEvents.queueChoiceMade.name: {
      const made = message as QueueChoiceMade;
      const choice = made.choice === QueueChoice.VOICEMAIL ? 'voicemail' : made.choice === QueueChoice.CALLBACK ? 'callback' : undefined;
      return choice && { kind: 'queue-choice', choice, queue: made.queue };
    }
    default:
      return undefined;
  }
}

/** An ivr event is about its call's contact. */
export function ivrEventAbout(name: string, message: object): EventAbout {
  return aboutCall(message, factOfIvrEvent(name, message));
}
