import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

interface JsonSchemaObject {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

/**
 * Documents every query parameter of a zod schema in the OpenAPI description, from the
 * same schema that validates it, so the two cannot drift apart.
 */
export function ApiQueryFrom(schema: z.ZodType): MethodDecorator {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;
  const required = new Set(json.required ?? []);
  const parameters = Object.entries(json.properties ?? {}).map(([name, property]) =>
    ApiQuery({ name, required: required.has(name) && property.default === undefined, schema: property as never }),
  );
  return applyDecorators(
    ...parameters,
    ApiBadRequestResponse({ description: 'A filter is invalid: `problems` names each field and the reason.' }),
  );
}
