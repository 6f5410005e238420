import { OPERATIONS_ROUTE } from '@lianluo/observability';
import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Reflector } from '@nestjs/core';

export const PUBLIC = Symbol('public');

/** A route anyone may call without a token: sign-in pages, health, metrics, the OpenAPI document. */
export const Public = () => SetMetadata(PUBLIC, true);

/** Whether the route handling `context` needs no token: @Public, or health and metrics. */
export function isOpenRoute(reflector: Reflector, context: ExecutionContext): boolean {
  const targets = [context.getHandler(), context.getClass()];
  return Boolean(reflector.getAllAndOverride<boolean>(PUBLIC, targets) ?? reflector.getAllAndOverride<boolean>(OPERATIONS_ROUTE, targets));
}
