import { z } from 'zod';

/** A tenant as subjects and the recording store spell it. */
export const tenantParam = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1-128 letters, digits, _ or -' });

/** A queue as acd keys it; empty for the tenant's own greeting. */
export const queueParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be 1-128 letters, digits, _ . @ - starting with a letter or digit' });

export const messageIdParam = z.uuid({ error: 'must be a message id (a UUID)' });
