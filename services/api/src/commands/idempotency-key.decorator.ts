import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { parseRequest } from '@lianluo/config';
import { z } from 'zod';

const key = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, { error: 'must be 8-128 letters, digits, _ . : or -' }).optional();

/** The request's `Idempotency-Key` header: a retry with the same key is the same command. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'];
  return parseRequest(z.object({ 'idempotency-key': key }), { 'idempotency-key': header }, 'header')['idempotency-key'];
});
