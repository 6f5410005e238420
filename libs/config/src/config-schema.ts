import { z } from 'zod';
import type { ConfigObjectSchema } from './config-object-schema';

type ConfigPiece = ConfigObjectSchema | z.core.$ZodShape;

type ShapeOf<Piece> = Piece extends z.ZodObject<infer Shape, z.core.$ZodObjectConfig> ? Shape : Piece;

// Left to right, a later piece's variable replacing an earlier one of the same name.
type MergedShape<Merged, Pieces extends readonly unknown[]> = Pieces extends readonly [infer First, ...infer Rest]
  ? MergedShape<Omit<Merged, keyof ShapeOf<First>> & ShapeOf<First>, Rest>
  : { [Variable in keyof Merged]: Merged[Variable] };

/**
 * Joins configuration pieces (`natsConfig`, `redisConfig`, a plain shape of the
 * service's own variables, ...) into one schema for `loadConfig`. Unlike spreading
 * `.shape`, it keeps every piece's cross-variable checks. A later piece's variable
 * replaces an earlier one of the same name.
 */
export function configSchema<const Pieces extends readonly ConfigPiece[]>(
  ...pieces: Pieces
): z.ZodObject<Extract<MergedShape<unknown, Pieces>, z.core.$ZodShape>, z.core.$strip> {
  const shape: z.core.$ZodShape = {};
  const checks: z.core.$ZodCheck<Record<string, unknown>>[] = [];
  for (const piece of pieces) {
    if (piece instanceof z.ZodObject) {
      Object.assign(shape, piece.shape);
      checks.push(...((piece._zod.def.checks ?? []) as z.core.$ZodCheck<Record<string, unknown>>[]));
    } else {
      Object.assign(shape, piece);
    }
  }
  const schema = z.object(shape);
  return (checks.length > 0 ? schema.check(...checks) : schema) as never;
}
