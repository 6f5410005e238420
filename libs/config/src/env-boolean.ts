import { z } from 'zod';

/** `true`/`false`, also `1`/`0`, `yes`/`no`, `on`/`off`, in any case. */
export function envBoolean() {
  return z.stringbool({
    truthy: ['true', '1', 'yes', 'on'],
    falsy: ['false', '0', 'no', 'off'],
    error: 'must be true or false (or 1/0, yes/no, on/off)',
  });
}
