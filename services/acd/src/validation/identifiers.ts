import { z } from 'zod';

/**
 * Ids of tenants, queues, agents and contacts become parts of Redis keys: no colons,
 * braces, spaces or slashes, which the key layout uses as separators.
 */
export const identifier = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, 'must be 1-128 letters, digits, _ . @ - (starting with a letter or digit)');

/** A site of the centre (bj, sz): its media gateway dials the agents there and owns its calls. */
export const site = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a site token such as bj or sz');

/** A call's id as the media gateway gives it (the Asterisk channel id of its first leg). */
export const callIdToken = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a call id');

/** Skill names appear inside skill profiles (`billing=3,english=2`). */
export const skillName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, _ or -');

/** Proficiency of an agent in a skill, or the minimum a contact requires: 1 (novice) to 5 (expert). */
export const proficiency = z.number().int('must be a whole number from 1 to 5').min(1, 'must be at least 1').max(5, 'must be at most 5');

/** A point in time as milliseconds since the epoch. */
export const epochMs = z.number().int('must be whole milliseconds').nonnegative('must not be negative');

/** `{ skill: proficiency }`, at most `max` entries. */
export function skillLevels(max: number) {
  return z
    .record(skillName, proficiency)
    .refine((skills) => Object.keys(skills).length <= max, `must name at most ${max} skills`);
}
