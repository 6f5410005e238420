import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { agentProfileSchema, type AgentProfileInput } from '../agents/agent-profile';
import { queueDefinitionSchema, type QueueDefinitionInput } from '../queues/queue-definition';
import { identifier, skillName } from '../validation/identifiers';
import { type InputProblem, InvalidInput } from '../validation/invalid-input';

export const skillDefinitionSchema = z
  .object({ name: skillName, description: z.string().max(256, 'must be at most 256 characters').default('') })
  .strict();

export type SkillDefinition = z.output<typeof skillDefinitionSchema>;

/** One tenant's skills, queues and agents, as YAML or import_configuration carries them. */
export const tenantConfigurationSchema = z
  .object({
    skills: z.array(skillDefinitionSchema).default([]),
    queues: z.array(queueDefinitionSchema).default([]),
    agents: z.array(agentProfileSchema).default([]),
  })
  .strict();

export interface TenantConfiguration {
  readonly skills: readonly SkillDefinition[];
  readonly queues: readonly QueueDefinitionInput[];
  readonly agents: readonly AgentProfileInput[];
}

/** A configuration file (ACD_CONFIG_FILE): every tenant's configuration, by tenant id. */
export const configurationFileSchema = z
  .object({ tenants: z.record(identifier, tenantConfigurationSchema) })
  .strict();

/** `queues.1.steps.0.timeoutMs` → `queues[1].steps[0].timeoutMs`: paths as a YAML reader counts them. */
export function documentPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}

/**
 * Parses a YAML document with `schema`; throws InvalidInput naming each problem by its
 * path in the document (`queues[1].steps[0].timeoutMs`), or the line and column of a
 * YAML syntax error.
 */
export function parseConfigurationYaml<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const at = error.linePos?.[0];
    throw new InvalidInput(what, [{ field: at ? `(line ${at.line}, column ${at.col})` : '(yaml)', reason: error.message.split('\n')[0] ?? 'is not YAML' }]);
  }
  const result = schema.safeParse(document ?? {});
  if (result.success) return result.data;
  const problems: InputProblem[] = result.error.issues.map((issue) => ({ field: documentPath(issue.path) || '(document)', reason: issue.message }));
  throw new InvalidInput(what, problems);
}

/** What a tenant's configuration may refer to beyond a document: what is stored already. */
export interface ConfigurationNames {
  readonly queues: ReadonlySet<string>;
  readonly skills: ReadonlySet<string>;
}

/**
 * The references a tenant document makes that neither it nor what is stored defines:
 * agents' queues and (once there is a catalogue) skills, queues' overflow targets.
 */
export function unresolvedReferences(document: TenantConfiguration, stored: ConfigurationNames): InputProblem[] {
  const queues = new Set([...stored.queues, ...document.queues.map((queue) => queue.queue)]);
  const skills = new Set([...stored.skills, ...document.skills.map((skill) => skill.name)]);
  const problems: InputProblem[] = [];
  document.queues.forEach((queue, i) => {
    const target = queue.overflow?.queue;
    if (target !== undefined && !queues.has(target)) problems.push({ field: `queues[${i}].overflow.queue`, reason: `queue "${target}" is not configured` });
  });
  document.agents.forEach((agent, i) => {
    agent.queues.forEach((queue, q) => {
      if (!queues.has(queue)) problems.push({ field: `agents[${i}].queues[${q}]`, reason: `queue "${queue}" is not configured` });
    });
    if (skills.size === 0) return;
    for (const skill of Object.keys(agent.skills ?? {})) {
      if (!skills.has(skill)) problems.push({ field: `agents[${i}].skills.${skill}`, reason: `skill "${skill}" is not in the catalogue` });
    }
  });
  return problems;
}
