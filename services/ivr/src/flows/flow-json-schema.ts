import { z } from 'zod';
import { flowSchema } from './flow.schema';

/** The JSON Schema editors validate and complete flow files with (`# yaml-language-server: $schema=…`). */
export function flowJsonSchema(): string {
  const schema = z.toJSONSchema(flowSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Lianluo IVR flow' }, null, 2)}\n`;
}
