import { parseRequest } from '@lianluo/config';
import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
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
      // An absent body is read as {} (partOf): a schema that takes {} makes the body optional.
      ApiBody({ schema: openApiSchemaOf(schema) as never, required: !schema.safeParse({}).success })(target, key, descriptor);
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

/** The body of every error answer: a code, a sentence, and the fields at fault when there are. */
export const problemSchema = z.object({
  error: z.string(),
  message: z.string(),
  problems: z
    .array(
      z.object({
        field: z.string(),
        reason: z.string(),
        line: z.number().int().optional().describe('In a document body: where the problem is (from 1)'),
        column: z.number().int().optional(),
        at: z.string().optional().describe('In a document body: `<document>:<line>:<column>`'),
      }),
    )
    .optional(),
});

/**
 * Documents what a route answers: `schema` for `status`, and the error body for the refusals
 * every closed route may give (400, 401, 403) and those it names.
 */
export function Answers(status: number, schema: z.ZodType | undefined, errors: readonly number[] = []): MethodDecorator {
  return (target, key, descriptor) => {
    ApiResponse({ status, description: status === 204 ? 'Done' : 'OK', ...(schema ? { schema: openApiSchemaOf(schema) as never } : {}) })(target, key, descriptor);
    for (const code of [400, 401, 403, ...errors]) ApiResponse({ status: code, description: ERROR_DESCRIPTIONS[code] ?? 'Refused', schema: openApiSchemaOf(problemSchema) as never })(target, key, descriptor);
  };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A request part breaks its rule: `problems` names each field',
  401: 'No valid access token',
  403: "The token's roles in this tenant do not allow it",
  404: 'Not found in this tenant',
  409: 'Conflicts with the current state',
  412: 'If-Match names a version the item no longer has (or the item is gone)',
  503: 'The service behind did not answer in time',
};
