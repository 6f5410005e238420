import { type DescMessage, type MessageShape, fromBinary } from '@bufbuild/protobuf';
import { type FieldViolation } from '@lianluo/contracts';

export type Decoded<S extends DescMessage> =
  | { readonly ok: true; readonly message: MessageShape<S> }
  | { readonly ok: false; readonly reason: 'decode' | 'invalid'; readonly violations: FieldViolation[] };

/** Decodes protobuf bytes and applies the definition's semantic checks. */
export function decodeAndValidate<S extends DescMessage>(
  schema: S,
  data: Uint8Array,
  validate: (message: MessageShape<S>) => FieldViolation[],
): Decoded<S> {
  let message: MessageShape<S>;
  try {
    message = fromBinary(schema, data);
  } catch (error) {
    return { ok: false, reason: 'decode', violations: [{ field: '(message)', reason: `is not a valid ${schema.typeName}: ${(error as Error).message}` }] };
  }
  const violations = validate(message);
  return violations.length === 0 ? { ok: true, message } : { ok: false, reason: 'invalid', violations };
}

export function describeViolations(violations: readonly FieldViolation[]): string {
  return violations.map((v) => `${v.field} ${v.reason}`).join('; ');
}
