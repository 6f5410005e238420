import { type Condition } from './flow.schema';

/** The data a flow's conditions and templates read: `customer.*`, `caller.*`, `vars.*`, `lookup.*`. */
export interface CallData {
  readonly customer: Readonly<Record<string, unknown>>;
  readonly caller: Readonly<Record<string, unknown>>;
  readonly vars: Record<string, unknown>;
  lookup: Readonly<Record<string, unknown>>;
}

/** The value at a dotted path, or undefined when any part is missing. */
export function valueAt(data: CallData, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Exactly one operator per condition (the flow parser makes sure). */
export function holds(condition: Condition, data: CallData): boolean {
  const value = valueAt(data, condition.value);
  if (condition.exists !== undefined) return (value !== undefined && value !== null && value !== '') === condition.exists;
  if (condition.equals !== undefined) return value === condition.equals || (value !== undefined && String(value) === String(condition.equals));
  if (condition.in !== undefined) return value !== undefined && condition.in.map(String).includes(String(value));
  if (condition.matches !== undefined) return value !== undefined && new RegExp(condition.matches).test(String(value));
  return false;
}

/** Fills `{caller.number}`-style placeholders, URL-encoded. */
export function fillTemplate(template: string, data: CallData): string {
  return template.replace(/\{([a-z]+(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\}/g, (_match, path: string) => encodeURIComponent(String(valueAt(data, path) ?? '')));
}
