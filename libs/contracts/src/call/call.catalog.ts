import { type FieldViolation, defineCommand, defineEvent, requireText } from '../definitions';
import { type CallRef } from '../gen/lianluo/call/v1/call_pb';
import {
  AnswerCallReplySchema,
  AnswerCallSchema,
  BridgeLegsReplySchema,
  BridgeLegsSchema,
  OriginateLegReplySchema,
  OriginateLegSchema,
  CollectDigitsReplySchema,
  CollectDigitsSchema,
  HangUpCallReplySchema,
  HangUpCallSchema,
  PlayPromptsReplySchema,
  PlayPromptsSchema,
} from '../gen/lianluo/call/v1/commands_pb';
import {
  CallAnsweredSchema,
  CallBridgedSchema,
  CallLegAnsweredSchema,
  CallLegHungUpSchema,
  CallLegRingingSchema,
  CallDtmfReceivedSchema,
  CallHungUpSchema,
  CallPlaybackFinishedSchema,
  CallRecordingFinishedSchema,
  CallStartedSchema,
} from '../gen/lianluo/call/v1/events_pb';

const DOMAIN = 'call';
const TOKEN = /^[A-Za-z0-9_-]+$/;
const DTMF_DIGIT = /^[0-9*#A-D]$/;

/** A CallRef must name tenant, site and call; tenant and site are subject tokens. */
export function validateCallRef(call: CallRef | undefined, path = 'call'): FieldViolation[] {
  if (!call) return [{ field: path, reason: 'is required' }];
  const violations = requireText({ tenant: call.tenant, site: call.site, call_id: call.callId }, `${path}.`);
  for (const [field, value] of [['tenant', call.tenant], ['site', call.site]] as const) {
    if (value && !TOKEN.test(value)) violations.push({ field: `${path}.${field}`, reason: `must match ${TOKEN} (got "${value}")` });
  }
  return violations;
}

interface CallMessage {
  readonly call?: CallRef | undefined;
}
interface CallEventMessage extends CallMessage {
  readonly eventId: string;
  readonly occurredAt?: unknown;
}
interface CallCommandMessage extends CallMessage {
  readonly commandId: string;
}

const eventBasics = {
  domain: DOMAIN,
  idOf: (m: CallEventMessage) => m.eventId,
  tenantOf: (m: CallEventMessage) => m.call?.tenant ?? '',
};

function validateEvent(m: CallEventMessage): FieldViolation[] {
  const violations = [...requireText({ event_id: m.eventId }), ...validateCallRef(m.call)];
  if (!m.occurredAt) violations.push({ field: 'occurred_at', reason: 'is required' });
  return violations;
}

const commandBasics = {
  domain: DOMAIN,
  idOf: (m: CallCommandMessage) => m.commandId,
  tenantOf: (m: CallCommandMessage) => m.call?.tenant ?? '',
};

function validateCommand(m: CallCommandMessage): FieldViolation[] {
  return [...requireText({ command_id: m.commandId }), ...validateCallRef(m.call)];
}

export const CallEvents = {
  started: defineEvent({ ...eventBasics, name: 'started', schema: CallStartedSchema, validate: validateEvent }),
  answered: defineEvent({ ...eventBasics, name: 'answered', schema: CallAnsweredSchema, validate: validateEvent }),
  dtmfReceived: defineEvent({
    ...eventBasics,
    name: 'dtmf',
    schema: CallDtmfReceivedSchema,
    validate: (m) => {
      const violations = validateEvent(m);
      if (!DTMF_DIGIT.test(m.digit)) violations.push({ field: 'digit', reason: `must be one of 0-9 * # A-D (got "${m.digit}")` });
      return violations;
    },
  }),
  playbackFinished: defineEvent({
    ...eventBasics,
    name: 'playback_finished',
    schema: CallPlaybackFinishedSchema,
    validate: validateEvent,
  }),
  recordingFinished: defineEvent({
    ...eventBasics,
    name: 'recording_finished',
    schema: CallRecordingFinishedSchema,
    validate: validateEvent,
  }),
  hungUp: defineEvent({ ...eventBasics, name: 'hungup', schema: CallHungUpSchema, validate: validateEvent }),
  legRinging: defineEvent({ ...eventBasics, name: 'leg_ringing', schema: CallLegRingingSchema, validate: (m) => [...validateEvent(m), ...requireText({ leg_id: m.legId })] }),
  legAnswered: defineEvent({ ...eventBasics, name: 'leg_answered', schema: CallLegAnsweredSchema, validate: (m) => [...validateEvent(m), ...requireText({ leg_id: m.legId })] }),
  legHungUp: defineEvent({ ...eventBasics, name: 'leg_hungup', schema: CallLegHungUpSchema, validate: (m) => [...validateEvent(m), ...requireText({ leg_id: m.legId })] }),
  bridged: defineEvent({ ...eventBasics, name: 'bridged', schema: CallBridgedSchema, validate: (m) => [...validateEvent(m), ...requireText({ bridge_id: m.bridgeId })] }),
} as const;

export const CallCommands = {
  answer: defineCommand({
    ...commandBasics,
    name: 'answer',
    request: AnswerCallSchema,
    reply: AnswerCallReplySchema,
    validate: validateCommand,
  }),
  play: defineCommand({
    ...commandBasics,
    name: 'play',
    request: PlayPromptsSchema,
    reply: PlayPromptsReplySchema,
    validate: (m) => {
      const violations = validateCommand(m);
      if (m.media.length === 0) violations.push({ field: 'media', reason: 'needs at least one media URI' });
      m.media.forEach((uri, i) => {
        if (!/^[a-z]+:.+/.test(uri)) violations.push({ field: `media[${i}]`, reason: `must be a media URI such as sound:hello-world (got "${uri}")` });
      });
      return violations;
    },
  }),
  collectDigits: defineCommand({
    ...commandBasics,
    name: 'collect_digits',
    request: CollectDigitsSchema,
    reply: CollectDigitsReplySchema,
    validate: (m) => {
      const violations = validateCommand(m);
      if (m.maxDigits < 1 || m.maxDigits > 64) violations.push({ field: 'max_digits', reason: `must be 1..64 (got ${m.maxDigits})` });
      if (m.terminator && !DTMF_DIGIT.test(m.terminator)) violations.push({ field: 'terminator', reason: `must be one DTMF key (got "${m.terminator}")` });
      if (m.firstDigitTimeoutMs < 1 || m.firstDigitTimeoutMs > 600_000) violations.push({ field: 'first_digit_timeout_ms', reason: `must be 1..600000 (got ${m.firstDigitTimeoutMs})` });
      if (m.interDigitTimeoutMs < 1 || m.interDigitTimeoutMs > 600_000) violations.push({ field: 'inter_digit_timeout_ms', reason: `must be 1..600000 (got ${m.interDigitTimeoutMs})` });
      return violations;
    },
  }),
  hangUp: defineCommand({
    ...commandBasics,
    name: 'hang_up',
    request: HangUpCallSchema,
    reply: HangUpCallReplySchema,
    validate: (m) => {
      const violations = validateCommand(m);
      if (m.cause > 127) violations.push({ field: 'cause', reason: `must be a Q.850 cause 0..127 (got ${m.cause})` });
      return violations;
    },
  }),
  originateLeg: defineCommand({
    ...commandBasics,
    name: 'originate_leg',
    request: OriginateLegSchema,
    reply: OriginateLegReplySchema,
    validate: (m) => {
      const violations = validateCommand(m);
      const target = m.destination?.target;
      if (!target?.case) violations.push({ field: 'destination', reason: 'needs an agent phone or a PSTN number' });
      else if (target.case === 'agent') {
        violations.push(...requireText({ site: target.value.site, extension: target.value.extension }, 'destination.agent.'));
        if (target.value.extension && !/^[A-Za-z0-9_.-]+$/.test(target.value.extension)) {
          violations.push({ field: 'destination.agent.extension', reason: `must be a PJSIP endpoint name (got "${target.value.extension}")` });
        }
      } else if (!/^\+?[0-9]{3,20}$/.test(target.value)) {
        violations.push({ field: 'destination.pstn_number', reason: `must be 3 to 20 digits, optionally after + (got "${target.value}")` });
      }
      if (m.callerIdNumber && !/^\+?[0-9*#]{1,32}$/.test(m.callerIdNumber)) {
        violations.push({ field: 'caller_id_number', reason: `must be digits (got "${m.callerIdNumber}")` });
      }
      if (m.timeoutMs < 1_000 || m.timeoutMs > 300_000) violations.push({ field: 'timeout_ms', reason: `must be 1000..300000 (got ${m.timeoutMs})` });
      return violations;
    },
  }),
  bridgeLegs: defineCommand({
    ...commandBasics,
    name: 'bridge_legs',
    request: BridgeLegsSchema,
    reply: BridgeLegsReplySchema,
    validate: (m) => [...validateCommand(m), ...requireText({ leg_id: m.legId })],
  }),
} as const;

/** Every call event definition, for consumers that take the whole domain. */
export const ALL_CALL_EVENTS = Object.values(CallEvents);
