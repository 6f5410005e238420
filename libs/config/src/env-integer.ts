import { z } from 'zod';

/** An integer written in decimal, e.g. `HTTP_PORT=8080` or `RONA_TIMEOUT_MS=15000`. */
export function envInteger(bounds: { min?: number; max?: number } = {}) {
  let integer = z.number().int();
  if (bounds.min !== undefined) integer = integer.min(bounds.min);
  if (bounds.max !== undefined) integer = integer.max(bounds.max);
  return z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, { error: 'must be an integer' })
    .transform(Number)
    .pipe(integer);
}
