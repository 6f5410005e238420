import { type FieldViolation, defineEvent, requireText } from '../definitions';
import { validateCallRef } from '../call/call.catalog';
import { type CallRef } from '../gen/lianluo/call/v1/call_pb';
import { FlowEndedSchema, FlowOutcome, InputCollectedSchema, MenuChosenSchema, QueueChoice, QueueChoiceMadeSchema } from '../gen/lianluo/ivr/v1/events_pb';

const DOMAIN = 'ivr';

interface IvrEventMessage {
  readonly eventId: string;
  readonly call?: CallRef | undefined;
  readonly occurredAt?: unknown;
}

const eventBasics = {
  domain: DOMAIN,
  idOf: (m: IvrEventMessage) => m.eventId,
  tenantOf: (m: IvrEventMessage) => m.call?.tenant ?? '',
};

function validateEvent(m: IvrEventMessage): FieldViolation[] {
  const violations = [...requireText({ event_id: m.eventId }), ...validateCallRef(m.call)];
  if (!m.occurredAt) violations.push({ field: 'occurred_at', reason: 'is required' });
  return violations;
}

export const IvrEvents = {
  menuChosen: defineEvent({
    ...eventBasics,
    name: 'menu_chosen',
    schema: MenuChosenSchema,
    validate: (m) => {
      const violations = [...validateEvent(m), ...requireText({ step: m.step })];
      if (!/^[0-9*#]$/.test(m.key)) violations.push({ field: 'key', reason: `must be one key: 0-9 * # (got "${m.key}")` });
      return violations;
    },
  }),
  inputCollected: defineEvent({
    ...eventBasics,
    name: 'input_collected',
    schema: InputCollectedSchema,
    validate: (m) => [...validateEvent(m), ...requireText({ step: m.step, variable: m.variable })],
  }),
  flowEnded: defineEvent({
    ...eventBasics,
    name: 'flow_ended',
    schema: FlowEndedSchema,
    validate: (m) => {
      const violations = [...validateEvent(m), ...requireText({ step: m.step })];
      if (!FlowOutcome[m.outcome] || m.outcome === FlowOutcome.UNSPECIFIED) violations.push({ field: 'outcome', reason: `must be a flow outcome (got ${m.outcome})` });
      return violations;
    },
  }),
  queueChoiceMade: defineEvent({
    ...eventBasics,
    name: 'queue_choice_made',
    schema: QueueChoiceMadeSchema,
    validate: (m) => {
      const violations = [...validateEvent(m), ...requireText({ queue: m.queue, contact_id: m.contactId })];
      if (m.choice !== QueueChoice.VOICEMAIL && m.choice !== QueueChoice.CALLBACK) violations.push({ field: 'choice', reason: `must be VOICEMAIL or CALLBACK (got ${m.choice})` });
      return violations;
    },
  }),
} as const;

/** Every ivr event definition, for consumers that take the whole domain (reporting). */
export const ALL_IVR_EVENTS = Object.values(IvrEvents);
