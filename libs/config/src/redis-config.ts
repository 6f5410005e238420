import { z } from 'zod';
import { envHostPortList } from './env-host-port-list';

export const REDIS_MODES = ['standalone', 'sentinel', 'cluster'] as const;

/**
 * How a service reaches Redis. Only the variables of the chosen `REDIS_MODE` are used:
 * standalone connects to `REDIS_URL`; sentinel asks `REDIS_SENTINELS` for the master
 * named `REDIS_SENTINEL_NAME`; cluster discovers the slots from `REDIS_CLUSTER_NODES`.
 * `REDIS_PASSWORD` authenticates to the data nodes in every mode (over a password in
 * `REDIS_URL`). `REDIS_KEY_PREFIX` is the first segment of every key, so runs and
 * deployments can share a server; it cannot hold braces, which would break the per-tenant
 * hash tag that follows it.
 */
export const redisConfig = z
  .object({
    REDIS_MODE: z.string().trim().toLowerCase().pipe(z.enum(REDIS_MODES)).default('standalone'),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    REDIS_SENTINELS: envHostPortList().optional(),
    REDIS_SENTINEL_NAME: z.string().trim().min(1).optional(),
    REDIS_CLUSTER_NODES: envHostPortList().optional(),
    REDIS_PASSWORD: z.string().optional(),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)*$/, {
        error: 'must be segments of letters, digits, _ . - separated by single colons',
      })
      .default('lianluo'),
  })
  .superRefine(
    (config, context) => {
      // Runs even when other variables failed, so every problem is reported at once; a
      // variable that failed its own check is not undefined, so it is not reported twice.
      const requiredFor = (mode: string, variable: keyof typeof config) => {
        if (config.REDIS_MODE === mode && config[variable] === undefined) {
          context.addIssue({ code: 'custom', path: [variable], message: `required when REDIS_MODE is ${mode}` });
        }
      };
      requiredFor('sentinel', 'REDIS_SENTINELS');
      requiredFor('sentinel', 'REDIS_SENTINEL_NAME');
      requiredFor('cluster', 'REDIS_CLUSTER_NODES');
    },
    { when: () => true },
  );

export type RedisMode = (typeof REDIS_MODES)[number];
export type RedisConfig = z.output<typeof redisConfig>;
