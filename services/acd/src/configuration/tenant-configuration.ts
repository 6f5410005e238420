import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { agentProfileSchema, type AgentProfileInput } from '../agents/agent-profile';
import { queueDefinitionSchema, type QueueDefinitionInput } from '../queues/queue-definition';
import { identifier, skillName } from '../validation/identifiers';
import { type InputProblem, InvalidInput } from '../validation/invalid-input';

export const skillDefinitionSchema = z
  .object({ name: skillName, description: z.string().max(256, 'must be at most 256 characters').default('') })
  .strict();

export type SkillDefinition = z.output<typeof skillDefinitionSchema>;

/** A not-ready reason or a wrap-up code of the tenant's catalogues: a code and what people see. */
export const catalogueCodeSchema = z
  .object({ code: identifier, label: z.string().max(256, 'must be at most 256 characters').default('') })
  .strict();

export type CatalogueCode = z.output<typeof catalogueCodeSchema>;

/** One tenant's skills, queues, agents and codes, as YAML or import_configuration carries them. */
export const tenantConfigurationSchema = z
  .object({
    skills: z.array(skillDefinitionSchema).default([]),
    queues: z.array(queueDefinitionSchema).default([]),
    agents: z.array(agentProfileSchema).default([]),
    notReadyReasons: z.array(catalogueCodeSchema).default([]),
    wrapUpCodes: z.array(catalogueCodeSchema).default([]),
  })
  .strict();

export interface TenantConfiguration {
  readonly skills: readonly SkillDefinition[];
  readonly queues: readonly QueueDefinitionInput[];
  readonly agents: readonly AgentProfileInput[];
  readonly notReadyReasons?: readonly CatalogueCode[];
  readonly wrapUpCodes?: readonly CatalogueCode[];
}

/** A configuration file (ACD_CONFIG_FILE): every tenant's configuration, by tenant id. */
export const configurationFileSchema = z
  .object({ tenants: z.record(identifier, tenantConfigurationSchema) })
  .strict();

/** `queues.1.steps.0.timeoutMs` → `queues[1].steps[0].timeoutMs`: paths as a YAML reader counts them. */
export function documentPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}

/** `agents[0].skills.billing` → `['agents', 0, 'skills', 'billing']`: a document path as the YAML library walks it. */
export function pathOfField(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined ? match[1]! : Number(match[2])));
}

/** A parsed YAML document and where (1-based line and column) each of its paths is written. */
export interface LocatedDocument<T> {
  readonly value: T;
  /** Problems named by path, each with the place of the deepest part of the path the document has. */
  locate(problems: readonly InputProblem[]): InputProblem[];
}

/**
 * Parses a YAML document with `schema`; throws InvalidInput naming each problem by its
 * path in the document (`queues[1].steps[0].timeoutMs`) and its line and column, or the
 * line and column of a YAML syntax error.
 */
export function readConfigurationYaml<S extends z.ZodType>(schema: S, text: string, what: string): LocatedDocument<z.output<S>> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new InvalidInput(
      what,
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        return { field: '(yaml)', reason: error.message.split('\n')[0] ?? 'is not YAML', ...(at ? { line: at.line, column: at.col } : {}) };
      }),
    );
  }
  const locate = (problems: readonly InputProblem[]): InputProblem[] =>
    problems.map((problem) => {
      const path = pathOfField(problem.field);
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
        const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
        if (offset === undefined) continue;
        const { line, col } = lineCounter.linePos(offset);
        return { ...problem, line, column: col };
      }
      return { ...problem, line: 1, column: 1 };
    });
  const result = schema.safeParse(document.toJS() ?? {});
  if (result.success) return { value: result.data, locate };
  const problems: InputProblem[] = result.error.issues.map((issue) => ({ field: documentPath(issue.path) || '(document)', reason: issue.message }));
  throw new InvalidInput(what, locate(problems));
}

/** As readConfigurationYaml, for the value only. */
export function parseConfigurationYaml<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  return readConfigurationYaml(schema, text, what).value;
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
