import { z } from 'zod';

/** A finite decimal number, e.g. `SAMPLE_RATIO=0.25`. */
export function envNumber(bounds: { min?: number; max?: number } = {}) {
  let number = z.number();
  if (bounds.min !== undefined) number = number.min(bounds.min);
  if (bounds.max !== undefined) number = number.max(bounds.max);
  return z
    .string()
    .trim()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, { error: 'must be a number' })
    .transform(Number)
    .pipe(number);
}
