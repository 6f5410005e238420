import type { z } from 'zod';

/** Any zod object schema whose keys are environment variable names. */
export type ConfigObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;
