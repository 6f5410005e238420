import { z } from 'zod';
import { CHANNELS, type Channel } from '../contacts/channel';
import { identifier, site, skillLevels } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';
import { agentPhoneSchema } from './agent-phone';

export const MAX_AGENT_SKILLS = 32;
export const MAX_CAPACITY_PER_CHANNEL = 20;
export const AGENT_KINDS = ['agent', 'employee', 'supervisor'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

const capacitySchema = z
  .partialRecord(
    z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
    z.number().int('must be a whole number').min(0, 'must be at least 0').max(MAX_CAPACITY_PER_CHANNEL, `must be at most ${MAX_CAPACITY_PER_CHANNEL}`),
  )
  .refine((capacity) => Object.values(capacity).some((slots) => (slots ?? 0) > 0), 'must allow at least one contact on some channel');

/**
 * Who can be offered contacts: a regular agent, or another employee reachable as a
 * routing target (ACD-6). Both log in to queues with skills and a per-channel capacity.
 */
export const agentProfileSchema = z.object({
  agentId: identifier,
  /** The site whose media gateway dials this agent (e.g. bj, sz). */
  site,
  /** Supervisors are also the targets of a queue's `supervisors` routing step. */
  kind: z.enum(AGENT_KINDS, { error: `must be one of ${AGENT_KINDS.join(', ')}` }).default('agent'),
  /** Where the media gateway dials the agent; none for agents of other channels only. */
  phone: agentPhoneSchema.optional(),
  skills: skillLevels(MAX_AGENT_SKILLS).default({}),
  /** Contacts per channel at once, e.g. `{ voice: 1, chat: 3, email: 2 }`; channels left out take none. */
  capacity: capacitySchema,
  queues: z.array(identifier).min(1, 'must name at least one queue').max(64, 'must name at most 64 queues'),
});

export type AgentProfileInput = z.input<typeof agentProfileSchema>;
export type AgentProfile = z.output<typeof agentProfileSchema>;
export type Capacity = Partial<Record<Channel, number>>;

/** Validates a login; throws InvalidInput naming each bad field. */
export function parseAgentProfile(input: unknown): AgentProfile {
  return parseInput(agentProfileSchema, input, 'agent');
}
