import { type DescEnum, type DescMessage, type JsonObject, type MessageShape, fromJson, toJson } from '@bufbuild/protobuf';
import {
  AgentConfigSchema,
  AgentKindSchema,
  ConfigurationDiffSchema,
  type GetConfigurationResult,
  NotReadyReasonConfigSchema,
  QueueConfigSchema,
  RoutingStepKindSchema,
  SkillConfigSchema,
  StrategySchema,
  WrapUpCodeConfigSchema,
} from '@lianluo/contracts';
import { z } from 'zod';

/** An enum's names as the contracts' JSON spells them (`STRATEGY_LONGEST_IDLE`), the unspecified one left out. */
function enumNames(descriptor: DescEnum): [string, ...string[]] {
  return descriptor.values.filter((value) => value.number !== 0).map((value) => value.name) as [string, ...string[]];
}

const wholeNumber = z.number().int().min(0);
/** uint64 fields: the contracts' JSON writes them as strings; numbers are taken too. */
const bigWholeNumber = z.union([wholeNumber, z.string().regex(/^\d{1,20}$/, { error: 'must be a whole number' })]);
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be 1-128 letters, digits, _ . @ or -' });
const skillName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be a skill name: 1-64 lowercase letters, digits, _ or -' });

/**
 * The bodies of configuration items: the acd contracts' messages in their JSON form
 * (camelCase, enums by name), without the id, which the path gives. Structure is checked
 * here; the rules of values (ranges, references) are acd's, which names the field it refuses.
 */
export const queueBody = z.strictObject({
  strategy: z.enum(enumNames(StrategySchema)).optional(),
  weights: z.strictObject({ idle: z.number(), handled: z.number(), roundRobin: z.number(), random: z.number(), skill: z.number() }).partial().optional().describe('Only with STRATEGY_WEIGHTED'),
  offerTimeoutMs: wholeNumber.optional(),
  wrapUpMs: wholeNumber.optional(),
  priorityPointMs: bigWholeNumber.optional(),
  businessValuePointMs: bigWholeNumber.optional(),
  dueWindowMs: bigWholeNumber.optional(),
  ringAllLimit: wholeNumber.optional(),
  steps: z
    .array(z.strictObject({ kind: z.enum(enumNames(RoutingStepKindSchema)), agents: z.array(identifier).optional(), minLevel: wholeNumber.optional(), timeoutMs: wholeNumber.optional() }))
    .max(10)
    .optional(),
  overflow: z.strictObject({ afterMs: wholeNumber, queue: identifier.optional(), voicemailMailbox: identifier.optional() }).optional(),
});

export const agentBody = z.strictObject({
  site: z.string().min(1).max(32),
  kind: z.enum(enumNames(AgentKindSchema)).optional(),
  extension: z.string().min(1).max(64).optional().describe('Its phone at its site (or pstnNumber)'),
  pstnNumber: z.string().min(1).max(21).optional(),
  skills: z.record(skillName, z.number().int()).optional().describe('Skill name to proficiency 1..5'),
  capacity: z.record(z.string(), wholeNumber).describe('Channel (voice, email, chat, video, fax, callback, workitem) to contacts at once'),
  queues: z.array(identifier).min(1).max(64),
});

export const skillBody = z.strictObject({ description: z.string().max(256).optional() });
export const codeBody = z.strictObject({ label: z.string().max(256).optional() });

const versioned = { version: z.string().describe('Also the ETag of the item: send it as If-Match to change or delete only what you read') };
export const queueAnswer = queueBody.extend({ queue: z.string(), ...versioned });
export const agentAnswer = agentBody.extend({ agentId: z.string(), ...versioned });
export const skillAnswer = skillBody.extend({ name: z.string(), ...versioned });
export const reasonAnswer = codeBody.extend({ code: z.string(), ...versioned });

const changes = z.object({ created: z.array(z.string()), updated: z.array(z.string()), deleted: z.array(z.string()), unchanged: z.array(z.string()) });
export const importAnswer = z.object({
  applied: z.boolean().describe('False for a dry run'),
  diff: z.object({ skills: changes, queues: changes, agents: changes, notReadyReasons: changes, wrapUpCodes: changes }),
});

/** One kind of configuration item as the api shows it and the acd contracts carry it. */
export interface ItemKind<M extends DescMessage = DescMessage> {
  /** The id field in the contract's JSON, and the path parameter. */
  readonly idField: string;
  readonly schema: M;
  readonly items: (configuration: GetConfigurationResult) => { item: MessageShape<M>; version: string }[];
}

function kind<M extends DescMessage>(idField: string, schema: M, items: ItemKind<M>['items']): ItemKind<M> {
  return { idField, schema, items };
}

export const ITEM_KINDS = {
  skills: kind('name', SkillConfigSchema, (c) => c.skills.map(({ skill, version }) => ({ item: skill!, version }))),
  queues: kind('queue', QueueConfigSchema, (c) => c.queues.map(({ queue, version }) => ({ item: queue!, version }))),
  agents: kind('agentId', AgentConfigSchema, (c) => c.agents.map(({ agent, version }) => ({ item: agent!, version }))),
  notReadyReasons: kind('code', NotReadyReasonConfigSchema, (c) => c.notReadyReasons.map(({ reason, version }) => ({ item: reason!, version }))),
  wrapUpCodes: kind('code', WrapUpCodeConfigSchema, (c) => c.wrapUpCodes.map(({ code, version }) => ({ item: code!, version }))),
} as const;

export type ItemKindName = keyof typeof ITEM_KINDS;

/** An item's JSON with its version. */
export function itemJson(kind: ItemKind, item: MessageShape<DescMessage>, version: string): JsonObject {
  return { ...(toJson(kind.schema, item, { alwaysEmitImplicit: true }) as JsonObject), version };
}

/** The contract's message of a body, its id from the path. */
export function itemOfBody<M extends DescMessage>(kind: ItemKind<M>, id: string, body: Record<string, unknown>): MessageShape<M> {
  return fromJson(kind.schema, { ...body, [kind.idField]: id } as JsonObject);
}

export function diffJson(diff: Parameters<typeof toJson<typeof ConfigurationDiffSchema>>[1]) {
  return toJson(ConfigurationDiffSchema, diff, { alwaysEmitImplicit: true }) as z.output<typeof importAnswer>['diff'];
}
