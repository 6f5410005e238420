import { envBoolean } from '@lianluo/config';
import { z } from 'zod';

export const RECORDING_STORE_KINDS = ['local', 's3'] as const;

/**
 * Where recordings are kept. `local` (the default) writes under `RECORDING_DIR`, relative
 * to the working directory unless absolute; `var/recordings` by default, not the OS temp
 * folder, which a reboot may empty. `s3` needs `S3_BUCKET`; `S3_ENDPOINT` names an
 * S3-compatible server (AWS when unset), with path-style URLs unless `S3_FORCE_PATH_STYLE`
 * is false; `S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY` go together, and without them the
 * SDK's default credentials apply (e.g. a Kubernetes service account's web identity).
 */
export const recordingStoreConfig = z
  .object({
    RECORDING_STORE: z.string().trim().toLowerCase().pipe(z.enum(RECORDING_STORE_KINDS)).default('local'),
    RECORDING_DIR: z.string().trim().min(1).default('var/recordings'),
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    S3_REGION: z.string().trim().min(1).default('us-east-1'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name: 3 to 63 of a-z 0-9 . -' })
      .optional(),
    S3_PREFIX: z
      .string()
      .regex(/^(?:[A-Za-z0-9_.-]+\/)*$/, { error: 'must be empty or segments of A-Z a-z 0-9 _ . - each ending in /' })
      .default(''),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: envBoolean().optional(),
  })
  .superRefine(
    (config, context) => {
      // Runs even when other variables failed, so every problem is reported at once.
      if (config.RECORDING_STORE !== 's3') return;
      if (config.S3_BUCKET === undefined) {
        context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when RECORDING_STORE is s3' });
      }
      if (config.S3_ACCESS_KEY_ID !== undefined && config.S3_SECRET_ACCESS_KEY === undefined) {
        context.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'required when S3_ACCESS_KEY_ID is set' });
      }
      if (config.S3_SECRET_ACCESS_KEY !== undefined && config.S3_ACCESS_KEY_ID === undefined) {
        context.addIssue({ code: 'custom', path: ['S3_ACCESS_KEY_ID'], message: 'required when S3_SECRET_ACCESS_KEY is set' });
      }
    },
    { when: () => true },
  );

export type RecordingStoreKind = (typeof RECORDING_STORE_KINDS)[number];
export type RecordingStoreConfig = z.output<typeof recordingStoreConfig>;
