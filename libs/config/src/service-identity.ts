import { z } from 'zod';

/**
 * `SERVICE_NAME` overrides the name a service gives itself in logs, metrics and traces,
 * e.g. `acd-canary` for a second deployment of acd.
 */
export const serviceIdentity = z.object({
  SERVICE_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, { error: 'must start with a-z and contain only a-z, 0-9 and -' })
    .optional(),
});

export type ServiceIdentity = z.output<typeof serviceIdentity>;
