import { z } from 'zod';

const NATS_SCHEMES = new Set(['nats:', 'tls:', 'ws:', 'wss:']);

function isNatsServerList(value: string): boolean {
  return value.split(',').every((server) => {
    try {
      const url = new URL(server.trim());
      return NATS_SCHEMES.has(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  });
}

/**
 * How a service reaches NATS. `NATS_NAMESPACE` is the root token of every subject and
 * stream name, so two deployments (or two test runs) can share one NATS server.
 */
export const natsConfig = z
  .object({
    /** One server, or several comma-separated; nats://, tls://, ws:// or wss://. */
    NATS_URL: z
      .string()
      .refine(isNatsServerList, { error: 'must be nats://host:port (several servers comma-separated)' })
      .default('nats://127.0.0.1:4222'),
    NATS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, { error: 'must start with a-z and contain only a-z, 0-9, _ and -' })
      .default('lianluo'),
    NATS_USER: z.string().optional(),
    NATS_PASSWORD: z.string().optional(),
    NATS_TOKEN: z.string().optional(),
  })
  .superRefine(
    (config, context) => {
      // Runs even when other variables failed, so every problem is reported at once.
      if (config.NATS_USER !== undefined && config.NATS_PASSWORD === undefined) {
        context.addIssue({ code: 'custom', path: ['NATS_PASSWORD'], message: 'required when NATS_USER is set' });
      }
      if (config.NATS_PASSWORD !== undefined && config.NATS_USER === undefined) {
        context.addIssue({ code: 'custom', path: ['NATS_USER'], message: 'required when NATS_PASSWORD is set' });
      }
      if (config.NATS_TOKEN !== undefined && config.NATS_USER !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['NATS_TOKEN'],
          message: 'cannot be combined with NATS_USER; use one or the other',
        });
      }
    },
    { when: () => true },
  );

export type NatsConfig = z.output<typeof natsConfig>;
