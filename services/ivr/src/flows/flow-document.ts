import { type Document, LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { type z } from 'zod';
import { type Flow, type Step, flowSchema } from './flow.schema';

/** One thing wrong with a flow file, where an editor can show it. */
export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The YAML path, e.g. `steps.main_menu.options.2`. */
  readonly path: string;
  readonly reason: string;
}

export type FlowParse = { readonly ok: true; readonly flow: Flow } | { readonly ok: false; readonly problems: readonly FlowProblem[] };

/** `file:line:column path: reason`, the way compilers print it. */
export function describeProblem(problem: FlowProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.path ? `${problem.path}: ` : ''}${problem.reason}`;
}

/**
 * Reads a flow file: YAML syntax, then the schema (types, unknown keys, unknown step
 * types), then what a schema cannot say (branches to steps that do not exist, calendars
 * that do not exist, regular expressions that do not compile). Every problem is reported
 * with its line, so a flow author fixes them all in one go.
 */
export function parseFlow(file: string, text: string): FlowParse {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (path: readonly PropertyKey[], offset: number | undefined, reason: string): FlowProblem => {
    const position = lines.linePos(offset ?? 0);
    return { file, line: position.line, column: position.col, path: path.map(String).join('.'), reason };
  };
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((error) => at([], error.pos[0], error.message.split('\n')[0] ?? error.message)) };
  }
  const parsed = flowSchema.safeParse(document.toJS());
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => at(issue.path, locate(document, issue), reasonOf(issue))) };
  }
  const problems = semanticProblems(parsed.data).map(({ path, reason }) => at(path, locate(document, { path, code: 'custom' }), reason));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flow: parsed.data };
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'type') {
    return `unknown step type; use one of ${STEP_TYPES.join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

const STEP_TYPES = flowSchema.shape.steps.valueType.options.map((option) => option.shape.type.value);

/** The offset of the YAML node an issue is about: the unknown key itself, or the deepest node of its path. */
function locate(document: Document, issue: { path: readonly PropertyKey[]; code: string; keys?: readonly string[] }): number | undefined {
  let node: Node | null | undefined = document.contents;
  let offset = node?.range?.[0];
  for (const segment of issue.path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
      if (node?.range) offset = node.range[0];
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | undefined;
      if (node?.range) offset = node.range[0];
    } else {
      break;
    }
  }
  if (issue.code === 'unrecognized_keys' && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && issue.keys?.includes(String(item.key.value)));
    offset = (pair?.key as Node | undefined)?.range?.[0] ?? offset;
  }
  return offset;
}

interface SemanticProblem {
  readonly path: PropertyKey[];
  readonly reason: string;
}

/** Branches, calendars and patterns: the checks that need the whole flow. */
function semanticProblems(flow: Flow): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const steps = new Set(Object.keys(flow.steps));
  const branch = (path: PropertyKey[], target: string | undefined) => {
    if (target !== undefined && !steps.has(target)) problems.push({ path, reason: `goes to step "${target}", which this flow does not have` });
  };
  const pattern = (path: PropertyKey[], source: string | undefined) => {
    if (source === undefined) return;
    try {
      new RegExp(source);
    } catch (error) {
      problems.push({ path, reason: `is not a valid regular expression: ${(error as Error).message}` });
    }
  };
  branch(['start'], flow.start);
  for (const [name, step] of Object.entries(flow.steps)) {
    const at = (...rest: PropertyKey[]) => ['steps', name, ...rest];
    for (const [key, target] of branchesOf(step)) branch(at(...key), target);
    if (step.type === 'business_hours' && !flow.calendars[step.calendar]) {
      problems.push({ path: at('calendar'), reason: `names calendar "${step.calendar}", which this flow does not define` });
    }
    if (step.type === 'collect') {
      pattern(at('pattern'), step.pattern);
      if (step.min_length > step.max_length) problems.push({ path: at('min_length'), reason: `is more than max_length (${step.max_length})` });
    }
    if (step.type === 'condition') {
      step.when.forEach((rule, i) => {
        const operators = (['equals', 'in', 'matches', 'exists'] as const).filter((op) => rule.if[op] !== undefined);
        if (operators.length !== 1) problems.push({ path: at('when', i, 'if'), reason: 'needs exactly one of equals, in, matches, exists' });
        pattern(at('when', i, 'if', 'matches'), rule.if.matches);
      });
    }
    if (step.type === 'queue' && step.voicemail_key && step.voicemail_key === step.callback_key) {
      problems.push({ path: at('callback_key'), reason: 'is the same key as voicemail_key' });
    }
  }
  return problems;
}

/** Every step a step can lead to, with the key that says so. */
export function branchesOf(step: Step): [PropertyKey[], string | undefined][] {
  switch (step.type) {
    case 'prompt':
    case 'set':
    case 'language':
      return [[['next'], step.next]];
    case 'menu':
      return [...Object.entries(step.options).map(([key, target]): [PropertyKey[], string] => [['options', key], target]), [['on_failure'], step.on_failure]];
    case 'collect':
    case 'http_lookup':
      return [
        [['next'], step.next],
        [['on_failure'], step.on_failure],
      ];
    case 'condition':
      return [...step.when.map((rule, i): [PropertyKey[], string] => [['when', i, 'goto'], rule.goto]), [['otherwise'], step.otherwise]];
    case 'business_hours':
      return [
        [['open'], step.open],
        [['closed'], step.closed],
      ];
    case 'identify_caller':
      return [
        [['next'], step.next],
        [['blacklisted'], step.blacklisted],
        [['withheld'], step.withheld],
      ];
    case 'transfer':
      return [[['on_failure'], step.on_failure]];
    case 'queue':
    case 'voicemail':
    case 'callback':
    case 'hang_up':
      return [];
  }
}
