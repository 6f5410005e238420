import type { Channel } from '../contacts/channel';

export type SkillLevels = Readonly<Record<string, number>>;

/** `billing=3,english=2`: skills sorted by name, so equal requirements encode equally. */
export function encodeSkills(skills: SkillLevels): string {
  return Object.keys(skills)
    .sort()
    .map((skill) => `${skill}=${skills[skill]}`)
    .join(',');
}

/** The inverse of encodeSkills: `billing=3,english=2` → `{ billing: 3, english: 2 }`. */
export function decodeSkills(encoded: string): Record<string, number> {
  return Object.fromEntries(
    encoded
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), Number(pair.slice(pair.indexOf('=') + 1))]),
  );
}

/**
 * The routing profile of a contact: its channel and required skills, e.g.
 * `chat|billing=3,english=2`. Contacts of one profile wait in one sorted set and the
 * agents able to take them are ready in another, so matching is one lookup per profile.
 * Lua parses this same format (routing-core.lua `parse_profile`).
 */
export function skillProfileOf(channel: Channel, requiredSkills: SkillLevels): string {
  return `${channel}|${encodeSkills(requiredSkills)}`;
}

/** Whether an agent with `agentSkills` meets every minimum in `requiredSkills`. */
export function meetsSkills(agentSkills: SkillLevels, requiredSkills: SkillLevels): boolean {
  return Object.entries(requiredSkills).every(([skill, minimum]) => (agentSkills[skill] ?? 0) >= minimum);
}
