import { type FieldViolation, defineCommand, defineEvent, requireText } from '../definitions';
import { validateCallRef } from '../call/call.catalog';
import { TENANT_ID } from '../tenant-id';
import {
  AgentKind,
  type AgentInfo,
  CallbackOrigin,
  CallbackOutcome,
  type CallbackInfo,
  CancelReason,
  Channel,
  type ContactInfo,
} from '../gen/lianluo/acd/v1/acd_pb';
import {
  AcceptOfferReplySchema,
  AcceptOfferSchema,
  type CallbackRequest,
  CancelCallbackReplySchema,
  CancelCallbackSchema,
  CancelContactReplySchema,
  CancelContactSchema,
  type ContactRequest,
  DeleteAgentReplySchema,
  DeleteCatalogueCodeReplySchema,
  DeleteCatalogueCodeSchema,
  DeleteAgentSchema,
  DeleteQueueReplySchema,
  DeleteQueueSchema,
  DeleteSkillReplySchema,
  DeleteSkillSchema,
  EndWrapUpReplySchema,
  EndWrapUpSchema,
  EnqueueContactReplySchema,
  EnqueueContactSchema,
  ExportConfigurationReplySchema,
  ExportConfigurationSchema,
  GetConfigurationReplySchema,
  GetConfigurationSchema,
  GetContactPositionReplySchema,
  GetContactPositionSchema,
  ImportConfigurationReplySchema,
  ImportConfigurationSchema,
  LoginAgentReplySchema,
  LoginAgentSchema,
  LogoutAgentReplySchema,
  LogoutAgentSchema,
  ReassignContactReplySchema,
  ReassignContactSchema,
  RejectOfferReplySchema,
  RejectOfferSchema,
  ReleaseContactReplySchema,
  ReleaseContactSchema,
  RequestCallbackReplySchema,
  RequestCallbackSchema,
  SetAgentNotReadyReplySchema,
  SetAgentNotReadySchema,
  SetAgentReadyReplySchema,
  SetAgentReadySchema,
  TransferContactReplySchema,
  TransferContactSchema,
  UpsertAgentReplySchema,
  UpsertAgentSchema,
  UpsertCatalogueCodeReplySchema,
  UpsertNotReadyReasonSchema,
  UpsertWrapUpCodeSchema,
  UpsertQueueReplySchema,
  UpsertQueueSchema,
  UpsertSkillReplySchema,
  UpsertSkillSchema,
} from '../gen/lianluo/acd/v1/commands_pb';
import { type AgentConfig, type QueueConfig, RoutingStepKind, Strategy } from '../gen/lianluo/acd/v1/configuration_pb';
import {
  AgentStateChangedSchema,
  CallbackAttemptedSchema,
  CallbackCancelledSchema,
  CallbackCompletedSchema,
  CallbackFailedSchema,
  CallbackRequestedSchema,
  ContactAbandonedSchema,
  ContactAcceptedSchema,
  ContactCompletedSchema,
  ContactWrapUpRecordedSchema,
  ContactEscalatedSchema,
  ContactOfferedSchema,
  ContactOverflowedSchema,
  ContactPositionChangedSchema,
  ContactQueuedSchema,
  ContactRejectedSchema,
  ContactRingNoAnswerSchema,
  ContactTransferredSchema,
} from '../gen/lianluo/acd/v1/events_pb';

const DOMAIN = 'acd';
/** Queue, agent, contact and reason ids become parts of acd's Redis keys: no separators of its layout. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;
const SKILL = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SITE = /^[a-z][a-z0-9-]{0,31}$/;
const EXTENSION = /^[A-Za-z0-9_.-]{1,64}$/;
const PSTN_NUMBER = /^\+?[0-9]{3,20}$/;

/** Proficiency of an agent in a skill, or the minimum a contact needs: 1 (novice) to 5 (expert). */
export const PROFICIENCY = { min: 1, max: 5 } as const;
export const MAX_PRIORITY = 100;
export const MAX_CONTACT_DATA_ENTRIES = 32;
/** A callback's id leaves room for `@<attempt>` in the ids of its contacts. */
export const MAX_CALLBACK_ID_LENGTH = 120;
export const MAX_CALLBACK_ATTEMPTS = 10;
/** The channel names capacity maps and YAML use, as `Channel` spells them without the prefix. */
export const CHANNEL_NAMES = ['voice', 'email', 'chat', 'video', 'fax', 'callback', 'workitem'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

const CHANNEL_BY_NAME: Record<ChannelName, Channel> = {
  voice: Channel.VOICE,
  email: Channel.EMAIL,
  chat: Channel.CHAT,
  video: Channel.VIDEO,
  fax: Channel.FAX,
  callback: Channel.CALLBACK,
  workitem: Channel.WORKITEM,
};

/** `voice` → Channel.VOICE. */
export function channelOfName(name: ChannelName): Channel {
  return CHANNEL_BY_NAME[name];
}

/** Channel.VOICE → `voice`; undefined for UNSPECIFIED or an unknown number. */
export function nameOfChannel(channel: Channel): ChannelName | undefined {
  return CHANNEL_NAMES.find((name) => CHANNEL_BY_NAME[name] === channel);
}

function matching(field: string, value: string, pattern: RegExp, what: string): FieldViolation[] {
  return value && !pattern.test(value) ? [{ field, reason: `must be ${what} (got "${value}")` }] : [];
}

const identifierRule = (field: string, value: string) =>
  matching(field, value, IDENTIFIER, '1-128 letters, digits, _ . @ - starting with a letter or digit');

/** Required identifiers, each named by its field path. */
function requireIdentifiers(values: Record<string, string>, path = ''): FieldViolation[] {
  return [...requireText(values, path), ...Object.entries(values).flatMap(([field, value]) => identifierRule(path + field, value))];
}

function validateTenant(tenant: string): FieldViolation[] {
  return [...requireText({ tenant }), ...matching('tenant', tenant, TENANT_ID, 'a tenant token: 1-64 letters, digits, _ or -')];
}

function validateSkillLevels(skills: Record<string, number>, field: string, maxSkills: number): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const names = Object.keys(skills);
  if (names.length > maxSkills) violations.push({ field, reason: `must name at most ${maxSkills} skills (got ${names.length})` });
  for (const name of names) {
    if (!SKILL.test(name)) violations.push({ field: `${field}.${name}`, reason: 'must be 1-64 lowercase letters, digits, _ or - (a skill name)' });
    const level = skills[name] ?? 0;
    if (level < PROFICIENCY.min || level > PROFICIENCY.max) {
      violations.push({ field: `${field}.${name}`, reason: `must be a proficiency from ${PROFICIENCY.min} to ${PROFICIENCY.max} (got ${level})` });
    }
  }
  return violations;
}

function validateChannel(channel: Channel, field: string): FieldViolation[] {
  return nameOfChannel(channel) ? [] : [{ field, reason: `must be one of ${CHANNEL_NAMES.join(', ')}` }];
}

function validateContactRequest(contact: ContactRequest | undefined): FieldViolation[] {
  if (!contact) return [{ field: 'contact', reason: 'is required' }];
  const violations = [
    ...requireIdentifiers({ contact_id: contact.contactId, queue: contact.queue }, 'contact.'),
    ...validateChannel(contact.channel, 'contact.channel'),
    ...validateSkillLevels(contact.requiredSkills, 'contact.required_skills', 8),
    ...identifierRule('contact.preferred_agent', contact.preferredAgent),
    ...identifierRule('contact.customer_id', contact.customerId),
    ...matching('contact.site', contact.site, SITE, 'a site token such as bj or sz'),
  ];
  if (contact.priority > MAX_PRIORITY) violations.push({ field: 'contact.priority', reason: `must be 0..${MAX_PRIORITY} (got ${contact.priority})` });
  if (!Number.isFinite(contact.businessValue) || contact.businessValue < 0) {
    violations.push({ field: 'contact.business_value', reason: `must be a number of at least 0 (got ${contact.businessValue})` });
  }
  if (contact.call) violations.push(...validateCallRef(contact.call, 'contact.call'));
  if (contact.channel === Channel.VOICE && contact.call && contact.site && contact.call.site !== contact.site) {
    violations.push({ field: 'contact.site', reason: `must be the call's site "${contact.call.site}" (got "${contact.site}")` });
  }
  violations.push(...validateContactData(contact.data, 'contact.data'));
  return violations;
}

/** What the IVR or a web form gathered for the agent's screen: at most 32 short entries. */
function validateContactData(data: Record<string, string>, field: string): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const keys = Object.keys(data);
  if (keys.length > MAX_CONTACT_DATA_ENTRIES) violations.push({ field, reason: `must hold at most ${MAX_CONTACT_DATA_ENTRIES} entries` });
  for (const key of keys) {
    if (key.length > 64 || (data[key] ?? '').length > 1024) {
      violations.push({ field: `${field}.${key.slice(0, 64)}`, reason: 'keys must be at most 64 and values at most 1024 characters' });
    }
  }
  return violations;
}

function validateCallbackId(callbackId: string, field: string): FieldViolation[] {
  const violations = requireIdentifiers({ [field]: callbackId });
  if (callbackId.length > MAX_CALLBACK_ID_LENGTH) violations.push({ field, reason: `must be at most ${MAX_CALLBACK_ID_LENGTH} characters (got ${callbackId.length})` });
  return violations;
}

function validateCallbackRequest(callback: CallbackRequest | undefined): FieldViolation[] {
  if (!callback) return [{ field: 'callback', reason: 'is required' }];
  const violations = [
    ...validateCallbackId(callback.callbackId, 'callback.callback_id'),
    ...requireIdentifiers({ queue: callback.queue }, 'callback.'),
    ...requireText({ number: callback.number }, 'callback.'),
    ...matching('callback.number', callback.number, PSTN_NUMBER, '3 to 20 digits, optionally after +'),
    ...matching('callback.site', callback.site, SITE, 'a site token such as bj or sz'),
    ...identifierRule('callback.customer_id', callback.customerId),
    ...identifierRule('callback.preferred_agent', callback.preferredAgent),
    ...validateSkillLevels(callback.requiredSkills, 'callback.required_skills', 8),
    ...validateContactData(callback.data, 'callback.data'),
  ];
  if (callback.priority > MAX_PRIORITY) violations.push({ field: 'callback.priority', reason: `must be 0..${MAX_PRIORITY} (got ${callback.priority})` });
  if (callback.maxAttempts > MAX_CALLBACK_ATTEMPTS) {
    violations.push({ field: 'callback.max_attempts', reason: `must be 0 (the acd's default) to ${MAX_CALLBACK_ATTEMPTS} (got ${callback.maxAttempts})` });
  }
  if (!(callback.origin in CallbackOrigin)) violations.push({ field: 'callback.origin', reason: `is not a callback origin (got ${callback.origin})` });
  if (callback.waitingSince && callback.appointment) {
    violations.push({ field: 'callback.waiting_since', reason: 'must be absent with an appointment: the customer waits from the appointment' });
  }
  return violations;
}

function validateQueueConfig(queue: QueueConfig | undefined): FieldViolation[] {
  if (!queue) return [{ field: 'queue', reason: 'is required' }];
  const violations = requireIdentifiers({ queue: queue.queue }, 'queue.');
  if (!(queue.strategy in Strategy)) violations.push({ field: 'queue.strategy', reason: `is not a strategy (got ${queue.strategy})` });
  if ((queue.strategy === Strategy.WEIGHTED) !== (queue.weights !== undefined)) {
    violations.push({ field: 'queue.weights', reason: 'must be given exactly when the strategy is WEIGHTED' });
  }
  queue.steps.forEach((step, i) => {
    const path = `queue.steps[${i}]`;
    if (step.kind === RoutingStepKind.UNSPECIFIED || !(step.kind in RoutingStepKind)) violations.push({ field: `${path}.kind`, reason: 'must name the targets of the step' });
    if ((step.kind === RoutingStepKind.NAMED_AGENTS) !== step.agents.length > 0) {
      violations.push({ field: `${path}.agents`, reason: 'must name agents exactly when the step is NAMED_AGENTS' });
    }
    step.agents.forEach((agent, a) => violations.push(...identifierRule(`${path}.agents[${a}]`, agent)));
    if (step.minLevel !== 0 && (step.kind !== RoutingStepKind.SKILLED || step.minLevel > PROFICIENCY.max)) {
      violations.push({ field: `${path}.min_level`, reason: `must be 0, or 1..${PROFICIENCY.max} on a SKILLED step (got ${step.minLevel})` });
    }
    if (i < queue.steps.length - 1 && step.timeoutMs === 0) violations.push({ field: `${path}.timeout_ms`, reason: 'must be set on every step but the last' });
  });
  const overflow = queue.overflow;
  if (overflow) {
    if (overflow.afterMs === 0) violations.push({ field: 'queue.overflow.after_ms', reason: 'must be set' });
    if (!overflow.target.case) violations.push({ field: 'queue.overflow.target', reason: 'needs a queue or a voicemail mailbox' });
    if (overflow.target.case === 'queue') {
      violations.push(...identifierRule('queue.overflow.queue', overflow.target.value));
      if (overflow.target.value === queue.queue) violations.push({ field: 'queue.overflow.queue', reason: 'must be another queue' });
    }
    if (overflow.target.case === 'voicemailMailbox') violations.push(...identifierRule('queue.overflow.voicemail_mailbox', overflow.target.value));
  }
  return violations;
}

function validateAgentConfig(agent: AgentConfig | undefined): FieldViolation[] {
  if (!agent) return [{ field: 'agent', reason: 'is required' }];
  const violations = [
    ...requireIdentifiers({ agent_id: agent.agentId }, 'agent.'),
    ...requireText({ site: agent.site }, 'agent.'),
    ...matching('agent.site', agent.site, SITE, 'a site token such as bj or sz'),
    ...validateSkillLevels(agent.skills, 'agent.skills', 32),
  ];
  if (agent.kind === AgentKind.UNSPECIFIED || !(agent.kind in AgentKind)) violations.push({ field: 'agent.kind', reason: 'must be AGENT, EMPLOYEE or SUPERVISOR' });
  if (agent.phone.case === 'extension') violations.push(...matching('agent.extension', agent.phone.value, EXTENSION, 'a PJSIP endpoint name'));
  if (agent.phone.case === 'pstnNumber') violations.push(...matching('agent.pstn_number', agent.phone.value, PSTN_NUMBER, '3 to 20 digits, optionally after +'));
  for (const name of Object.keys(agent.capacity)) {
    if (!(CHANNEL_NAMES as readonly string[]).includes(name)) violations.push({ field: `agent.capacity.${name}`, reason: `must be a channel: ${CHANNEL_NAMES.join(', ')}` });
  }
  if (!Object.values(agent.capacity).some((slots) => slots > 0)) violations.push({ field: 'agent.capacity', reason: 'must allow at least one contact on some channel' });
  if (agent.queues.length === 0) violations.push({ field: 'agent.queues', reason: 'must name at least one queue' });
  agent.queues.forEach((queue, i) => violations.push(...identifierRule(`agent.queues[${i}]`, queue)));
  return violations;
}

interface AcdCommandMessage {
  readonly commandId: string;
  readonly tenant: string;
}

const commandBasics = {
  domain: DOMAIN,
  idOf: (m: AcdCommandMessage) => m.commandId,
  tenantOf: (m: AcdCommandMessage) => m.tenant,
};

function validateCommand(m: AcdCommandMessage, identifiers: Record<string, string> = {}): FieldViolation[] {
  return [...requireText({ command_id: m.commandId }), ...validateTenant(m.tenant), ...requireIdentifiers(identifiers)];
}

/** An offer is named by contact, agent and attempt (from contact_offered). */
function validateOfferAnswer(m: AcdCommandMessage & { contactId: string; agentId: string; attempt: number }): FieldViolation[] {
  const violations = validateCommand(m, { contact_id: m.contactId, agent_id: m.agentId });
  if (m.attempt < 1) violations.push({ field: 'attempt', reason: 'must be the attempt of the offer (1 or more)' });
  return violations;
}

function validateTarget(target: { case: 'queue' | 'agentId' | undefined; value?: string }): FieldViolation[] {
  if (!target.case) return [{ field: 'target', reason: 'needs a queue or an agent' }];
  return identifierRule(target.case === 'queue' ? 'queue' : 'agent_id', target.value ?? '');
}

export const AcdCommands = {
  enqueueContact: defineCommand({
    ...commandBasics,
    name: 'enqueue_contact',
    request: EnqueueContactSchema,
    reply: EnqueueContactReplySchema,
    validate: (m) => [...validateCommand(m), ...validateContactRequest(m.contact)],
  }),
  cancelContact: defineCommand({
    ...commandBasics,
    name: 'cancel_contact',
    request: CancelContactSchema,
    reply: CancelContactReplySchema,
    validate: (m) => {
      const violations = validateCommand(m, { contact_id: m.contactId });
      if (m.reason !== CancelReason.ABANDONED && m.reason !== CancelReason.WITHDRAWN) violations.push({ field: 'reason', reason: 'must be ABANDONED or WITHDRAWN' });
      return violations;
    },
  }),
  loginAgent: defineCommand({
    ...commandBasics,
    name: 'login_agent',
    request: LoginAgentSchema,
    reply: LoginAgentReplySchema,
    validate: (m) => [
      ...validateCommand(m, { agent_id: m.agentId }),
      ...(m.site === undefined ? [] : matching('site', m.site, SITE, 'a site token such as bj or sz')),
      ...(m.extension === undefined ? [] : matching('extension', m.extension, EXTENSION, 'a PJSIP endpoint name')),
    ],
  }),
  logoutAgent: defineCommand({
    ...commandBasics,
    name: 'logout_agent',
    request: LogoutAgentSchema,
    reply: LogoutAgentReplySchema,
    validate: (m) => validateCommand(m, { agent_id: m.agentId }),
  }),
  setAgentReady: defineCommand({
    ...commandBasics,
    name: 'set_agent_ready',
    request: SetAgentReadySchema,
    reply: SetAgentReadyReplySchema,
    validate: (m) => validateCommand(m, { agent_id: m.agentId }),
  }),
  setAgentNotReady: defineCommand({
    ...commandBasics,
    name: 'set_agent_not_ready',
    request: SetAgentNotReadySchema,
    reply: SetAgentNotReadyReplySchema,
    validate: (m) => validateCommand(m, { agent_id: m.agentId, reason_code: m.reasonCode }),
  }),
  acceptOffer: defineCommand({
    ...commandBasics,
    name: 'accept_offer',
    request: AcceptOfferSchema,
    reply: AcceptOfferReplySchema,
    validate: validateOfferAnswer,
  }),
  rejectOffer: defineCommand({
    ...commandBasics,
    name: 'reject_offer',
    request: RejectOfferSchema,
    reply: RejectOfferReplySchema,
    validate: (m) => [...validateOfferAnswer(m), ...requireIdentifiers({ reason_code: m.reasonCode })],
  }),
  releaseContact: defineCommand({
    ...commandBasics,
    name: 'release_contact',
    request: ReleaseContactSchema,
    reply: ReleaseContactReplySchema,
    validate: (m) => [...validateCommand(m, { contact_id: m.contactId, agent_id: m.agentId }), ...validateWrapUp(m)],
  }),
  endWrapUp: defineCommand({
    ...commandBasics,
    name: 'end_wrap_up',
    request: EndWrapUpSchema,
    reply: EndWrapUpReplySchema,
    validate: (m) => validateCommand(m, { agent_id: m.agentId }),
  }),
  transferContact: defineCommand({
    ...commandBasics,
    name: 'transfer_contact',
    request: TransferContactSchema,
    reply: TransferContactReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m, { contact_id: m.contactId }), ...identifierRule('by_agent_id', m.byAgentId), ...validateTarget(m.target)];
      if (m.agentWindowMs > 3_600_000) violations.push({ field: 'agent_window_ms', reason: `must be at most 3600000 (got ${m.agentWindowMs})` });
      return violations;
    },
  }),
  reassignContact: defineCommand({
    ...commandBasics,
    name: 'reassign_contact',
    request: ReassignContactSchema,
    reply: ReassignContactReplySchema,
    validate: (m) => [...validateCommand(m, { contact_id: m.contactId, supervisor_id: m.supervisorId }), ...validateTarget(m.target)],
  }),
  getContactPosition: defineCommand({
    ...commandBasics,
    name: 'get_contact_position',
    request: GetContactPositionSchema,
    reply: GetContactPositionReplySchema,
    validate: (m) => validateCommand(m, { contact_id: m.contactId }),
  }),
  upsertQueue: defineCommand({
    ...commandBasics,
    name: 'upsert_queue',
    request: UpsertQueueSchema,
    reply: UpsertQueueReplySchema,
    validate: (m) => [...validateCommand(m), ...validateQueueConfig(m.queue)],
  }),
  deleteQueue: defineCommand({
    ...commandBasics,
    name: 'delete_queue',
    request: DeleteQueueSchema,
    reply: DeleteQueueReplySchema,
    validate: (m) => validateCommand(m, { queue: m.queue }),
  }),
  upsertAgent: defineCommand({
    ...commandBasics,
    name: 'upsert_agent',
    request: UpsertAgentSchema,
    reply: UpsertAgentReplySchema,
    validate: (m) => [...validateCommand(m), ...validateAgentConfig(m.agent)],
  }),
  deleteAgent: defineCommand({
    ...commandBasics,
    name: 'delete_agent',
    request: DeleteAgentSchema,
    reply: DeleteAgentReplySchema,
    validate: (m) => validateCommand(m, { agent_id: m.agentId }),
  }),
  upsertSkill: defineCommand({
    ...commandBasics,
    name: 'upsert_skill',
    request: UpsertSkillSchema,
    reply: UpsertSkillReplySchema,
    validate: (m) => {
      if (!m.skill) return [...validateCommand(m), { field: 'skill', reason: 'is required' }];
      const violations = [...validateCommand(m), ...requireText({ name: m.skill.name }, 'skill.'), ...matching('skill.name', m.skill.name, SKILL, 'a skill name: 1-64 lowercase letters, digits, _ or -')];
      if (m.skill.description.length > 256) violations.push({ field: 'skill.description', reason: 'must be at most 256 characters' });
      return violations;
    },
  }),
  deleteSkill: defineCommand({
    ...commandBasics,
    name: 'delete_skill',
    request: DeleteSkillSchema,
    reply: DeleteSkillReplySchema,
    validate: (m) => [...validateCommand(m), ...requireText({ name: m.name }), ...matching('name', m.name, SKILL, 'a skill name')],
  }),
  requestCallback: defineCommand({
    ...commandBasics,
    name: 'request_callback',
    request: RequestCallbackSchema,
    reply: RequestCallbackReplySchema,
    validate: (m) => [...validateCommand(m), ...validateCallbackRequest(m.callback)],
  }),
  cancelCallback: defineCommand({
    ...commandBasics,
    name: 'cancel_callback',
    request: CancelCallbackSchema,
    reply: CancelCallbackReplySchema,
    validate: (m) => [...validateCommand(m), ...validateCallbackId(m.callbackId, 'callback_id')],
  }),
  importConfiguration: defineCommand({
    ...commandBasics,
    name: 'import_configuration',
    request: ImportConfigurationSchema,
    reply: ImportConfigurationReplySchema,
    validate: (m) => {
      const violations = [...validateCommand(m), ...requireText({ yaml: m.yaml })];
      if (m.yaml.length > 4_000_000) violations.push({ field: 'yaml', reason: 'must be at most 4 MB' });
      return violations;
    },
  }),
  getConfiguration: defineCommand({
    ...commandBasics,
    name: 'get_configuration',
    request: GetConfigurationSchema,
    reply: GetConfigurationReplySchema,
    validate: (m) => validateCommand(m),
  }),
  exportConfiguration: defineCommand({
    ...commandBasics,
    name: 'export_configuration',
    request: ExportConfigurationSchema,
    reply: ExportConfigurationReplySchema,
    validate: (m) => validateCommand(m),
  }),
  upsertNotReadyReason: defineCommand({
    ...commandBasics,
    name: 'upsert_not_ready_reason',
    request: UpsertNotReadyReasonSchema,
    reply: UpsertCatalogueCodeReplySchema,
    validate: (m) => [...validateCommand(m), ...validateCatalogueCode(m.reason, 'reason.')],
  }),
  deleteNotReadyReason: defineCommand({
    ...commandBasics,
    name: 'delete_not_ready_reason',
    request: DeleteCatalogueCodeSchema,
    reply: DeleteCatalogueCodeReplySchema,
    validate: (m) => validateCommand(m, { code: m.code }),
  }),
  upsertWrapUpCode: defineCommand({
    ...commandBasics,
    name: 'upsert_wrap_up_code',
    request: UpsertWrapUpCodeSchema,
    reply: UpsertCatalogueCodeReplySchema,
    validate: (m) => [...validateCommand(m), ...validateCatalogueCode(m.code, 'code.')],
  }),
  deleteWrapUpCode: defineCommand({
    ...commandBasics,
    name: 'delete_wrap_up_code',
    request: DeleteCatalogueCodeSchema,
    reply: DeleteCatalogueCodeReplySchema,
    validate: (m) => validateCommand(m, { code: m.code }),
  }),
} as const;

/** The longest notes an agent may leave on a contact. */
export const MAX_CONTACT_NOTES_LENGTH = 2000;

/** An optional wrap-up code (an identifier) and notes of at most MAX_CONTACT_NOTES_LENGTH characters. */
function validateWrapUp(m: { wrapUpCode: string; notes: string }, path = ''): FieldViolation[] {
  const violations = identifierRule(`${path}wrap_up_code`, m.wrapUpCode);
  if (m.notes.length > MAX_CONTACT_NOTES_LENGTH) violations.push({ field: `${path}notes`, reason: `must be at most ${MAX_CONTACT_NOTES_LENGTH} characters` });
  return violations;
}

/** A not-ready reason or wrap-up code: an identifier and a label of at most 256 characters. */
function validateCatalogueCode(entry: { code: string; label: string } | undefined, prefix: string): FieldViolation[] {
  if (!entry) return [{ field: prefix.slice(0, -1), reason: 'is required' }];
  const violations = [...requireText({ code: entry.code }, prefix), ...identifierRule(`${prefix}code`, entry.code)];
  if (entry.label.length > 256) violations.push({ field: `${prefix}label`, reason: 'must be at most 256 characters' });
  return violations;
}

interface AcdEventMessage {
  readonly eventId: string;
  readonly tenant: string;
  readonly occurredAt?: unknown;
}

interface ContactEventMessage extends AcdEventMessage {
  readonly contact?: ContactInfo | undefined;
}

interface AgentEventMessage extends AcdEventMessage {
  readonly agent?: AgentInfo | undefined;
}

const eventBasics = {
  domain: DOMAIN,
  idOf: (m: AcdEventMessage) => m.eventId,
  tenantOf: (m: AcdEventMessage) => m.tenant,
};

function validateEvent(m: AcdEventMessage): FieldViolation[] {
  const violations = [...requireText({ event_id: m.eventId }), ...validateTenant(m.tenant)];
  if (!m.occurredAt) violations.push({ field: 'occurred_at', reason: 'is required' });
  return violations;
}

function validateAgentInfo(agent: AgentInfo | undefined): FieldViolation[] {
  return agent ? requireIdentifiers({ agent_id: agent.agentId }, 'agent.') : [{ field: 'agent', reason: 'is required' }];
}

function validateContactEvent(m: ContactEventMessage): FieldViolation[] {
  const violations = validateEvent(m);
  if (!m.contact) return [...violations, { field: 'contact', reason: 'is required' }];
  violations.push(...requireIdentifiers({ contact_id: m.contact.contactId, queue: m.contact.queue }, 'contact.'), ...validateChannel(m.contact.channel, 'contact.channel'));
  if (m.contact.call) violations.push(...validateCallRef(m.contact.call, 'contact.call'));
  return violations;
}

/** A contact event that also names the agent (offered, accepted, rejected...). */
function validateContactAgentEvent(m: ContactEventMessage & AgentEventMessage): FieldViolation[] {
  return [...validateContactEvent(m), ...validateAgentInfo(m.agent)];
}

interface CallbackEventMessage extends AcdEventMessage {
  readonly callback?: CallbackInfo | undefined;
}

function validateCallbackEvent(m: CallbackEventMessage): FieldViolation[] {
  const violations = validateEvent(m);
  if (!m.callback) return [...violations, { field: 'callback', reason: 'is required' }];
  return [...violations, ...requireIdentifiers({ callback_id: m.callback.callbackId, queue: m.callback.queue }, 'callback.'), ...requireText({ number: m.callback.number }, 'callback.')];
}

/** An event about one attempt of a callback: its number, contact and agent. */
function validateCallbackAttemptEvent(m: CallbackEventMessage & AgentEventMessage & { attempt: number; contactId: string }): FieldViolation[] {
  const violations = [...validateCallbackEvent(m), ...requireIdentifiers({ contact_id: m.contactId }), ...validateAgentInfo(m.agent)];
  if (m.attempt < 1) violations.push({ field: 'attempt', reason: 'must be 1 or more' });
  return violations;
}

export const AcdEvents = {
  contactQueued: defineEvent({ ...eventBasics, name: 'contact_queued', schema: ContactQueuedSchema, validate: validateContactEvent }),
  contactOffered: defineEvent({
    ...eventBasics,
    name: 'contact_offered',
    schema: ContactOfferedSchema,
    validate: (m) => {
      const violations = validateContactAgentEvent(m);
      if (m.attempt < 1) violations.push({ field: 'attempt', reason: 'must be 1 or more' });
      if (!m.deadline) violations.push({ field: 'deadline', reason: 'is required' });
      return violations;
    },
  }),
  contactAccepted: defineEvent({ ...eventBasics, name: 'contact_accepted', schema: ContactAcceptedSchema, validate: validateContactAgentEvent }),
  contactRejected: defineEvent({ ...eventBasics, name: 'contact_rejected', schema: ContactRejectedSchema, validate: validateContactAgentEvent }),
  contactRingNoAnswer: defineEvent({ ...eventBasics, name: 'contact_ring_no_answer', schema: ContactRingNoAnswerSchema, validate: validateContactAgentEvent }),
  contactAbandoned: defineEvent({ ...eventBasics, name: 'contact_abandoned', schema: ContactAbandonedSchema, validate: validateContactEvent }),
  contactOverflowed: defineEvent({
    ...eventBasics,
    name: 'contact_overflowed',
    schema: ContactOverflowedSchema,
    validate: (m) => [...validateContactEvent(m), ...(m.target.case ? [] : [{ field: 'target', reason: 'needs a queue or a voicemail mailbox' }])],
  }),
  contactTransferred: defineEvent({ ...eventBasics, name: 'contact_transferred', schema: ContactTransferredSchema, validate: validateContactEvent }),
  contactEscalated: defineEvent({ ...eventBasics, name: 'contact_escalated', schema: ContactEscalatedSchema, validate: validateContactEvent }),
  contactCompleted: defineEvent({
    ...eventBasics,
    name: 'contact_completed',
    schema: ContactCompletedSchema,
    validate: (m) => [...validateContactAgentEvent(m), ...validateWrapUp(m)],
  }),
  contactWrapUpRecorded: defineEvent({
    ...eventBasics,
    name: 'contact_wrap_up_recorded',
    schema: ContactWrapUpRecordedSchema,
    validate: (m) => [...validateContactAgentEvent(m), ...validateWrapUp(m)],
  }),
  contactPositionChanged: defineEvent({ ...eventBasics, name: 'contact_position_changed', schema: ContactPositionChangedSchema, validate: validateContactEvent }),
  agentStateChanged: defineEvent({
    ...eventBasics,
    name: 'agent_state_changed',
    schema: AgentStateChangedSchema,
    validate: (m) => [...validateEvent(m), ...validateAgentInfo(m.agent)],
  }),
  callbackRequested: defineEvent({ ...eventBasics, name: 'callback_requested', schema: CallbackRequestedSchema, validate: validateCallbackEvent }),
  callbackAttempted: defineEvent({
    ...eventBasics,
    name: 'callback_attempted',
    schema: CallbackAttemptedSchema,
    validate: (m) => {
      const violations = validateCallbackAttemptEvent(m);
      if (m.outcome === CallbackOutcome.UNSPECIFIED || !(m.outcome in CallbackOutcome)) violations.push({ field: 'outcome', reason: 'must say how the attempt ended' });
      return violations;
    },
  }),
  callbackCompleted: defineEvent({ ...eventBasics, name: 'callback_completed', schema: CallbackCompletedSchema, validate: validateCallbackAttemptEvent }),
  callbackFailed: defineEvent({
    ...eventBasics,
    name: 'callback_failed',
    schema: CallbackFailedSchema,
    validate: (m) => [...validateCallbackEvent(m), ...requireText({ reason_code: m.reasonCode })],
  }),
  callbackCancelled: defineEvent({ ...eventBasics, name: 'callback_cancelled', schema: CallbackCancelledSchema, validate: validateCallbackEvent }),
} as const;

/** Every acd event definition, for consumers that take the whole domain (reporting). */
export const ALL_ACD_EVENTS = Object.values(AcdEvents);
