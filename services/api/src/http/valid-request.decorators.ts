import { parseRequest } from '@lianluo/config';
import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/** A zod schema as OpenAPI 3.1 (JSON Schema 2020-12) sees the requests it accepts. */
export function openApiSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

type Part = 'path' | 'query' | 'body';

interface HttpRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
}

function partOf(request: HttpRequest, part: Part): unknown {
  if (part === 'path') return request.params;
  if (part === 'query') return request.query;
  return request.body ?? {};
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

/** Declares a method's OpenAPI request parts from the same schema that validates them. */
function documenting(part: Part, schema: z.ZodType): (target: object, key: string | symbol) => void {
  return (target, key) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    if (part === 'body') {
      ApiBody({ schema: openApiSchemaOf(schema) as never })(target, key, descriptor);
      return;
    }
    for (const [name, field] of Object.entries(objectShape(schema))) {
      const options = { name, schema: openApiSchemaOf(field) as never, description: field.description };
      if (part === 'path') ApiParam(options)(target, key, descriptor);
      else ApiQuery({ ...options, required: !field.safeParse(undefined).success })(target, key, descriptor);
    }
  };
}

/**
 * A request part validated at the edge by a zod schema (400 naming each field otherwise), and
 * documented in OpenAPI by that same schema: what the document says is what is enforced.
 */
function validPart(part: Part) {
  return <S extends z.ZodType>(schema: S): ParameterDecorator =>
    createParamDecorator(
      (_data: unknown, context: ExecutionContext): z.output<S> => parseRequest(schema, partOf(context.switchToHttp().getRequest<HttpRequest>(), part), part),
      [(target, key) => documenting(part, schema)(target, key!)],
    )();
}

export const ValidPath = validPart('path');
export const ValidQuery = validPart('query');
export const ValidBody = validPart('body');
