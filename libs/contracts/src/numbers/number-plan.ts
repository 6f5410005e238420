import { type DialledNumber } from '../gen/lianluo/call/v1/call_pb';
import { type FieldViolation } from '../definitions';
import { TENANT_ID } from '../tenant-id';

/** The namespace's key-value bucket of the number plan (TEL-5). */
export const NUMBER_PLAN_BUCKET = 'numbers';

/** A dialled number as trunks present it and flows list it (the ivr's flow files use the same rule). */
export const DIALLED_NUMBER = /^\+?[0-9A-Za-z_-]{1,32}$/;
const KEY_PREFIX = 'n';

/** A number's key in the bucket: `n.<number>`, `+` spelled `=` (a key's tokens have no `+`). */
export function numberPlanKey(number: string): string {
  return `${KEY_PREFIX}.${number.replace('+', '=')}`;
}

/** The number a bucket key names, or undefined for a key that is not one. */
export function numberOfPlanKey(key: string): string | undefined {
  if (!key.startsWith(`${KEY_PREFIX}.`)) return undefined;
  return key.slice(KEY_PREFIX.length + 1).replace('=', '+');
}

/** Every key of the plan: what a watcher of the bucket asks for. */
export const NUMBER_PLAN_KEYS = `${KEY_PREFIX}.>`;

export function validateDialledNumber(entry: Pick<DialledNumber, 'number' | 'tenant'>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!DIALLED_NUMBER.test(entry.number)) violations.push({ field: 'number', reason: 'must be 1 to 32 digits, letters, _ or -, after an optional +' });
  if (!TENANT_ID.test(entry.tenant)) violations.push({ field: 'tenant', reason: 'must be a tenant: 1-64 letters, digits, _ or -' });
  return violations;
}
