import { type FieldViolation, defineCommand, defineEvent, requireText } from '../definitions';
import { type CallRef } from '../gen/lianluo/call/v1/call_pb';
import {
  AnswerCallReplySchema,
  AnswerCallSchema,
  BridgeLegsReplySchema,
  BridgeLegsSchema,
  OriginateLegReplySchema,
  OriginateLegSchema,
  PlaceCallReplySchema,
  PlaceCallSchema,
  CollectDigitsReplySchema,
  CollectDigitsSchema,
  HangUpCallReplySchema,
  HangUpCallSchema,
  PlayPromptsReplySchema,
  PlayPromptsSchema,
  StopPlaybackSchema,
  StopPlaybackReplySchema,
  SetMusicOnHoldSchema,
  SetMusicOnHoldReplySchema,
  RecordCallSchema,
  RecordCallReplySchema,
  RecordTarget,
  StopRecordingSchema,
  StopRecordingReplySchema,
  HangUpLegSchema,
  HangUpLegReplySchema,
  BlindTransferSchema,
  BlindTransferReplySchema,
  StartConsultationSchema,
  StartConsultationReplySchema,
  EndConsultationSchema,
  EndConsultationReplySchema,
  JoinSupervisorSchema,
  JoinSupervisorReplySchema,
  SupervisorMode,
  SendDtmfSchema,
  SendDtmfReplySchema,
  SetVariablesSchema,
  SetVariablesReplySchema,
  GetVariableSchema,
  GetVariableReplySchema,
  type LegDestination,
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
  CallPlaybackStartedSchema,
  CallUnbridgedSchema,
  CallTransferredSchema,
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
  siteOf: (m: CallCommandMessage) => m.call?.site ?? '',
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
  unbridged: defineEvent({ ...eventBasics, name: 'unbridged', schema: CallUnbridgedSchema, validate: (m) => [...validateEvent(m), ...requireText({ bridge_id: m.bridgeId, member: m.member })] }),
  playbackStarted: defineEvent({ ...eventBasics, name: 'playback_started', schema: CallPlaybackStartedSchema, validate: validateEvent }),
  transferred: defineEvent({ ...eventBasics, name: 'transferred', schema: CallTransferredSchema, validate: (m) => [...validateEvent(m), ...requireText({ to_leg_id: m.toLegId })] }),
} as const;

/** A ring time in commands that dial: long enough to reach a phone, short of a stuck caller. */
function validateTimeout(timeoutMs: number, field = 'timeout_ms'): FieldViolation[] {
  return timeoutMs < 1_000 || timeoutMs > 300_000 ? [{ field, reason: `must be 1000..300000 (got ${timeoutMs})` }] : [];
}

/** An agent phone at a site, or a PSTN number through the trunk. */
export function validateDestination(destination: LegDestination | undefined, path = 'destination'): FieldViolation[] {
  const target = destination?.target;
  if (!target?.case) return [{ field: path, reason: 'needs an agent phone or a PSTN number' }];
  if (target.case === 'agent') {
    const violations = requireText({ site: target.value.site, extension: target.value.extension }, `${path}.agent.`);
    if (target.value.site && !TOKEN.test(target.value.site)) {
      violations.push({ field: `${path}.agent.site`, reason: `must match ${TOKEN} (got "${target.value.site}")` });
    }
    if (target.value.extension && !/^[A-Za-z0-9_.-]+$/.test(target.value.extension)) {
      violations.push({ field: `${path}.agent.extension`, reason: `must be a PJSIP endpoint name (got "${target.value.extension}")` });
    }
    return violations;
  }
  return /^\+?[0-9]{3,20}$/.test(target.value)
    ? []
    : [{ field: `${path}.pstn_number`, reason: `must be 3 to 20 digits, optionally after + (got "${target.value}")` }];
}

/** Where a new leg or call goes, what it shows the called party and how long it rings. */
function validateDial(m: { destination?: LegDestination | undefined; callerIdNumber: string; timeoutMs: number }): FieldViolation[] {
  const violations = [...validateDestination(m.destination), ...validateTimeout(m.timeoutMs)];
  if (m.callerIdNumber && !/^\+?[0-9*#]{1,32}$/.test(m.callerIdNumber)) {
    violations.push({ field: 'caller_id_number', reason: `must be digits (got "${m.callerIdNumber}")` });
  }
  return violations;
}

const LEG_ID = /^[A-Za-z0-9._-]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\([^()]*\))?$/;

/** An optional leg id: empty means the caller. */
function validateLegId(legId: string, field = 'leg_id'): FieldViolation[] {
  return LEG_ID.test(legId) ? [] : [{ field, reason: `must be a leg id from this call (got "${legId}")` }];
}

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
      const violations = [...validateCommand(m), ...validateLegId(m.legId)];
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
    validate: (m) => [...validateCommand(m), ...validateDial(m)],
  }),
  placeCall: defineCommand({
    ...commandBasics,
    name: 'place_call',
    request: PlaceCallSchema,
    reply: PlaceCallReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...validateDial(m)];
      if (m.call?.callId && !/^[A-Za-z0-9._-]{1,128}$/.test(m.call.callId)) {
        violations.push({ field: 'call.call_id', reason: `must be 1-128 letters, digits, . _ - (it becomes the Asterisk channel id; got "${m.call.callId}")` });
      }
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
  stopPlayback: defineCommand({
    ...commandBasics,
    name: 'stop_playback',
    request: StopPlaybackSchema,
    reply: StopPlaybackReplySchema,
    validate: validateCommand,
  }),
  setMusicOnHold: defineCommand({
    ...commandBasics,
    name: 'set_music_on_hold',
    request: SetMusicOnHoldSchema,
    reply: SetMusicOnHoldReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...validateLegId(m.legId)];
      if (m.mohClass && !TOKEN.test(m.mohClass)) violations.push({ field: 'moh_class', reason: `must match ${TOKEN} (got "${m.mohClass}")` });
      return violations;
    },
  }),
  record: defineCommand({
    ...commandBasics,
    name: 'record',
    request: RecordCallSchema,
    reply: RecordCallReplySchema,
    validate: (m) => {
      const violations = validateCommand(m);
      if (m.target !== RecordTarget.CALLER && m.target !== RecordTarget.CONVERSATION) {
        violations.push({ field: 'target', reason: `must be CALLER or CONVERSATION (got ${m.target})` });
      }
      if (m.format && m.format !== 'wav' && m.format !== 'gsm') violations.push({ field: 'format', reason: `must be wav or gsm (got "${m.format}")` });
      if (m.maxDurationMs < 1_000 || m.maxDurationMs > 3_600_000) {
        violations.push({ field: 'max_duration_ms', reason: `must be 1000..3600000 (got ${m.maxDurationMs})` });
      }
      if (m.maxSilenceMs > 600_000) violations.push({ field: 'max_silence_ms', reason: `must be at most 600000 (got ${m.maxSilenceMs})` });
      if (m.terminateOn && !['#', '*', 'any'].includes(m.terminateOn)) {
        violations.push({ field: 'terminate_on', reason: `must be #, * or any (got "${m.terminateOn}")` });
      }
      return violations;
    },
  }),
  stopRecording: defineCommand({
    ...commandBasics,
    name: 'stop_recording',
    request: StopRecordingSchema,
    reply: StopRecordingReplySchema,
    validate: (m) => [...validateCommand(m), ...requireText({ recording_id: m.recordingId })],
  }),
  hangUpLeg: defineCommand({
    ...commandBasics,
    name: 'hang_up_leg',
    request: HangUpLegSchema,
    reply: HangUpLegReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...requireText({ leg_id: m.legId })];
      if (m.cause > 127) violations.push({ field: 'cause', reason: `must be a Q.850 cause 0..127 (got ${m.cause})` });
      return violations;
    },
  }),
  blindTransfer: defineCommand({
    ...commandBasics,
    name: 'blind_transfer',
    request: BlindTransferSchema,
    reply: BlindTransferReplySchema,
    validate: (m) => [...validateCommand(m), ...validateDestination(m.destination), ...validateTimeout(m.timeoutMs)],
  }),
  startConsultation: defineCommand({
    ...commandBasics,
    name: 'start_consultation',
    request: StartConsultationSchema,
    reply: StartConsultationReplySchema,
    validate: (m) => [
      ...validateCommand(m),
      ...requireText({ leg_id: m.legId }),
      ...validateDestination(m.destination),
      ...validateTimeout(m.timeoutMs),
    ],
  }),
  endConsultation: defineCommand({
    ...commandBasics,
    name: 'end_consultation',
    request: EndConsultationSchema,
    reply: EndConsultationReplySchema,
    validate: validateCommand,
  }),
  joinSupervisor: defineCommand({
    ...commandBasics,
    name: 'join_supervisor',
    request: JoinSupervisorSchema,
    reply: JoinSupervisorReplySchema,
    validate: (m) => {
      const violations = [
        ...validateCommand(m),
        ...requireText({ leg_id: m.legId }),
        ...validateDestination(m.supervisor, 'supervisor'),
        ...validateTimeout(m.timeoutMs),
      ];
      if (![SupervisorMode.LISTEN, SupervisorMode.WHISPER, SupervisorMode.BARGE].includes(m.mode)) {
        violations.push({ field: 'mode', reason: `must be LISTEN, WHISPER or BARGE (got ${m.mode})` });
      }
      return violations;
    },
  }),
  sendDtmf: defineCommand({
    ...commandBasics,
    name: 'send_dtmf',
    request: SendDtmfSchema,
    reply: SendDtmfReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...validateLegId(m.legId)];
      if (!/^[0-9*#A-D,]{1,64}$/.test(m.digits)) violations.push({ field: 'digits', reason: `must be 1..64 of 0-9 * # A-D and "," (got "${m.digits}")` });
      return violations;
    },
  }),
  setVariables: defineCommand({
    ...commandBasics,
    name: 'set_variables',
    request: SetVariablesSchema,
    reply: SetVariablesReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...validateLegId(m.legId)];
      const names = Object.keys(m.variables);
      if (names.length === 0) violations.push({ field: 'variables', reason: 'needs at least one variable' });
      for (const name of names) {
        if (!VARIABLE_NAME.test(name)) violations.push({ field: `variables[${name}]`, reason: 'is not a channel variable or function name' });
        else if (name.startsWith('LIANLUO_')) violations.push({ field: `variables[${name}]`, reason: 'LIANLUO_ variables belong to the media gateway' });
      }
      return violations;
    },
  }),
  getVariable: defineCommand({
    ...commandBasics,
    name: 'get_variable',
    request: GetVariableSchema,
    reply: GetVariableReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...validateLegId(m.legId), ...requireText({ name: m.name })];
      if (m.name && !VARIABLE_NAME.test(m.name)) violations.push({ field: 'name', reason: `is not a channel variable or function name (got "${m.name}")` });
      return violations;
    },
  }),
} as const;

/** Every call event definition, for consumers that take the whole domain. */
export const ALL_CALL_EVENTS = Object.values(CallEvents);
