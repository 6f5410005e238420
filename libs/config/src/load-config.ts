import type { z } from 'zod';
import { ConfigError } from './config-error';
import type { ConfigObjectSchema } from './config-object-schema';
import type { ConfigProblem } from './config-problem';
import { describeIssue } from './describe-issue';
import { isSecretVariable } from './is-secret-variable';

const SHOWN_VALUE_MAX_LENGTH = 80;

/**
 * Reads the variables named by the schema's keys from `env`, coerces and validates them.
 * An empty variable (`FOO=`, common in Compose files and Helm values) counts as unset,
 * so defaults apply to it.
 *
 * @throws ConfigError naming every bad or missing variable.
 */
export function loadConfig<S extends ConfigObjectSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const variables = Object.keys(schema.shape);
  const input: Record<string, string> = {};
  for (const variable of variables) {
    const value = env[variable];
    if (value !== undefined && value !== '') input[variable] = value;
  }

  const result = schema.safeParse(input, { error: describeIssue, reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(toProblems(result.error.issues, input, variables));
}

function toProblems(issues: readonly z.core.$ZodIssue[], input: Record<string, string>, variables: string[]): ConfigProblem[] {
  const reasonsByVariable = new Map<string, string[]>();
  for (const issue of issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : '(configuration)';
    const reason = reasonFor(issue, variable, input[variable]);
    const reasons = reasonsByVariable.get(variable) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    reasonsByVariable.set(variable, reasons);
  }
  const order = (variable: string) => {
    const index = variables.indexOf(variable);
    return index === -1 ? variables.length : index;
  };
  return [...reasonsByVariable.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([variable, reasons]) => ({ variable, reason: reasons.join('; ') }));
}

function reasonFor(issue: z.core.$ZodIssue, variable: string, rawValue: string | undefined): string {
  const secret = isSecretVariable(variable);
  let reason = issue.message;
  if (issue.path.length > 1) {
    // An entry of a list variable: name the entry, the whole value would only repeat it.
    const entry = !secret && typeof issue.input === 'string' ? show(issue.input) : `#${Number(issue.path[1]) + 1}`;
    reason = `entry ${entry}: ${reason}`;
  } else if (rawValue !== undefined && !reason.startsWith('required')) {
    reason = `${reason} (got ${secret ? '(hidden)' : show(rawValue)})`;
  }
  // A schema's own message may quote its input; a secret must not leak through it.
  return secret && rawValue !== undefined ? reason.split(rawValue).join('(hidden)') : reason;
}

function show(value: string): string {
  const shown = value.length > SHOWN_VALUE_MAX_LENGTH ? `${value.slice(0, SHOWN_VALUE_MAX_LENGTH)}…` : value;
  return JSON.stringify(shown);
}
