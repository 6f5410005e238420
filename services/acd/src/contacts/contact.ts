import { z } from 'zod';
import { callIdToken, epochMs, identifier, site, skillLevels } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';
import { CHANNELS } from './channel';

export const MAX_REQUIRED_SKILLS = 8;
export const MAX_DATA_ENTRIES = 32;

/** 0 (normal) to 100; each point is worth the queue's `priorityPointMs` of waiting. */
export const contactPriority = z.number().int('must be a whole number').min(0, 'must be at least 0').max(100, 'must be at most 100').default(0);

/** What the IVR or web form gathered, for the agent's screen. */
export const contactData = z
  .record(z.string().max(64, 'keys must be at most 64 characters'), z.string().max(1024, 'must be at most 1024 characters'))
  .refine((data) => Object.keys(data).length <= MAX_DATA_ENTRIES, `must hold at most ${MAX_DATA_ENTRIES} entries`);

/**
 * A contact asking to be queued: a call, an email, a chat, a work item... `enqueuedAt`
 * defaults to the routing clock; a contact returned after ring-no-answer keeps it, and
 * one whose customer was already waiting (a callback) starts from then (enqueueTimeOf).
 */
export const contactRequestSchema = z.object({
  contactId: identifier,
  queue: identifier,
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
  priority: contactPriority,
  /** What the contact is worth to the business (e.g. order value); each unit is worth `businessValuePointMs`. */
  businessValue: z.number().min(0, 'must not be negative').max(1e9, 'must be at most 1e9').default(0),
  /** Skill → minimum proficiency an agent needs. */
  requiredSkills: skillLevels(MAX_REQUIRED_SKILLS).default({}),
  /** The last agent this customer spoke to; offered first when free (sticky routing). */
  preferredAgent: identifier.optional(),
  enqueuedAt: epochMs.optional(),
  /** When the contact must have been handled (SLA of a work item, appointed callback). */
  dueAt: epochMs.optional(),
  /** Where the contact entered: the caller's site for a call. */
  site: site.optional(),
  customerId: identifier.optional(),
  /** The call behind a voice contact, so the agent's leg can be dialled and bridged to it. */
  call: z.object({ site, callId: callIdToken }).optional(),
  data: contactData.optional(),
});

export type ContactRequest = z.input<typeof contactRequestSchema>;
export type Contact = z.output<typeof contactRequestSchema>;

/** Validates an enqueue request; throws InvalidInput naming each bad field. */
export function parseContactRequest(input: unknown): Contact {
  return parseInput(contactRequestSchema, input, 'contact');
}

/** Where a contact is in its life inside the ACD. `done` contacts are remembered for a while so a repeated enqueue is a no-op. */
export const CONTACT_STATES = ['waiting', 'offered', 'assigned', 'done'] as const;
export type ContactState = (typeof CONTACT_STATES)[number];
