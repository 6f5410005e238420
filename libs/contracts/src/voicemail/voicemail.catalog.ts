import { type FieldViolation, defineCommand, defineEvent, requireText } from '../definitions';
import { validateCallRef } from '../call/call.catalog';
import { type CallRef } from '../gen/lianluo/call/v1/call_pb';
import { TakeCallReplySchema, TakeCallSchema, TakeReason } from '../gen/lianluo/voicemail/v1/commands_pb';
import { AbandonStage, VoicemailAbandonedSchema, VoicemailLeftSchema } from '../gen/lianluo/voicemail/v1/events_pb';

const DOMAIN = 'voicemail';
/** Queue, mailbox and contact ids, as acd keys them (no separators of its Redis layout). */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;
const MEDIA_URI = /^[a-z]+:.+/;
const LANGUAGE = /^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;

/** Bounds of a message and of the silence that ends it, as take_call states them. */
export const MESSAGE_LIMITS = {
  maxMessageMs: { min: 1_000, max: 600_000 },
  silenceStopMs: { min: 1_000, max: 60_000 },
  priority: { min: 0, max: 100 },
} as const;

function identifierRule(field: string, value: string): FieldViolation[] {
  return value && !IDENTIFIER.test(value)
    ? [{ field, reason: `must be 1-128 letters, digits, _ . @ - starting with a letter or digit (got "${value}")` }]
    : [];
}

/** 0 means "the service default"; anything else must lie within the bounds. */
function optionalRange(field: string, value: number, bounds: { min: number; max: number }): FieldViolation[] {
  return value !== 0 && (value < bounds.min || value > bounds.max)
    ? [{ field, reason: `must be 0 (the default) or ${bounds.min}..${bounds.max} (got ${value})` }]
    : [];
}

interface VoicemailEventMessage {
  readonly eventId: string;
  readonly call?: CallRef | undefined;
  readonly occurredAt?: unknown;
  readonly messageId: string;
}

const eventBasics = {
  domain: DOMAIN,
  idOf: (m: VoicemailEventMessage) => m.eventId,
  tenantOf: (m: VoicemailEventMessage) => m.call?.tenant ?? '',
};

function validateEvent(m: VoicemailEventMessage): FieldViolation[] {
  const violations = [...requireText({ event_id: m.eventId, message_id: m.messageId }), ...validateCallRef(m.call)];
  if (!m.occurredAt) violations.push({ field: 'occurred_at', reason: 'is required' });
  return violations;
}

export const VoicemailEvents = {
  messageLeft: defineEvent({
    ...eventBasics,
    name: 'message_left',
    schema: VoicemailLeftSchema,
    validate: (m) => {
      const violations = [
        ...validateEvent(m),
        ...requireText({ recording_id: m.recordingId, location: m.location, content_type: m.contentType }),
        ...identifierRule('queue', m.queue),
        ...identifierRule('mailbox', m.mailbox),
      ];
      if (m.durationMs === 0) violations.push({ field: 'duration_ms', reason: 'must be more than 0' });
      return violations;
    },
  }),
  messageAbandoned: defineEvent({
    ...eventBasics,
    name: 'message_abandoned',
    schema: VoicemailAbandonedSchema,
    validate: (m) => {
      const violations = validateEvent(m);
      if (m.stage !== AbandonStage.GREETING && m.stage !== AbandonStage.RECORDING) {
        violations.push({ field: 'stage', reason: `must be GREETING or RECORDING (got ${m.stage})` });
      }
      return violations;
    },
  }),
} as const;

export const VoicemailCommands = {
  takeCall: defineCommand({
    domain: DOMAIN,
    name: 'take_call',
    request: TakeCallSchema,
    reply: TakeCallReplySchema,
    idOf: (m) => m.commandId,
    tenantOf: (m) => m.call?.tenant ?? '',
    validate: (m) => {
      const violations = [...requireText({ command_id: m.commandId }), ...validateCallRef(m.call)];
      if (!m.queue && !m.mailbox) violations.push({ field: 'queue', reason: 'is required when there is no mailbox' });
      violations.push(...identifierRule('queue', m.queue), ...identifierRule('mailbox', m.mailbox), ...identifierRule('contact_id', m.contactId));
      if (m.callerNumber.length > 64) violations.push({ field: 'caller_number', reason: `must be at most 64 characters (got ${m.callerNumber.length})` });
      if (m.language && !LANGUAGE.test(m.language)) violations.push({ field: 'language', reason: `must be a language tag such as en or zh_CN (got "${m.language}")` });
      m.greeting.forEach((uri, i) => {
        if (!MEDIA_URI.test(uri)) violations.push({ field: `greeting[${i}]`, reason: `must be a media URI such as sound:vm-intro (got "${uri}")` });
      });
      violations.push(
        ...optionalRange('max_message_ms', m.maxMessageMs, MESSAGE_LIMITS.maxMessageMs),
        ...optionalRange('silence_stop_ms', m.silenceStopMs, MESSAGE_LIMITS.silenceStopMs),
      );
      if (m.priority < MESSAGE_LIMITS.priority.min || m.priority > MESSAGE_LIMITS.priority.max) {
        violations.push({ field: 'priority', reason: `must be ${MESSAGE_LIMITS.priority.min}..${MESSAGE_LIMITS.priority.max} (got ${m.priority})` });
      }
      if (![TakeReason.CALLER_CHOICE, TakeReason.OVERFLOW, TakeReason.FLOW].includes(m.reason)) {
        violations.push({ field: 'reason', reason: `must be CALLER_CHOICE, OVERFLOW or FLOW (got ${m.reason})` });
      }
      return violations;
    },
  }),
} as const;

/** Every voicemail event definition, for consumers that take the whole domain. */
export const ALL_VOICEMAIL_EVENTS = Object.values(VoicemailEvents);
