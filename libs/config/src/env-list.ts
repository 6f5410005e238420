import { z } from 'zod';

/**
 * A comma-separated list, e.g. `SITES=bj,sz`. Blanks around entries and empty entries are
 * dropped; each entry is validated by `entry`.
 */
export function envList<Entry extends z.ZodType<unknown, string>>(entry: Entry, bounds: { min?: number } = {}) {
  let list = z.array(entry);
  if (bounds.min !== undefined) list = list.min(bounds.min);
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(list);
}
