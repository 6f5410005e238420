import { currentTraceparent, traceIdOf } from '@lianluo/observability';
import { type CallHandler, type ExecutionContext, HttpException, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Observable, from, lastValueFrom } from 'rxjs';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { ALLOW, type Allowance } from '../policy/allow.decorator';
import { maskSecrets } from './audit-entry';
import { AuditLogRepository } from './audit-log.repository';

/** A request an audited handler may annotate with the state it changes. */
export interface AuditedRequest extends AuthenticatedRequest {
  method: string;
  route?: { path: string };
  body?: unknown;
  auditBefore?: unknown;
}

/** Says what the audited thing was before the change (called by a handler before it changes it). */
export function auditBefore(request: AuditedRequest, before: unknown): void {
  request.auditBefore = before;
}

/**
 * Appends every change made through the api to the audit log, refused or done: each route
 * whose @Allow action is not `read` and whose subject is not the caller's own work (`Me`).
 * The handler's answer is the `after`; an entry that cannot be written fails the request,
 * so no change goes unrecorded without an error.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly log: AuditLogRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const allowance = this.reflector.getAllAndOverride<Allowance | undefined>(ALLOW, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (!allowance || allowance.action === 'read' || allowance.subject === 'Me' || !request.principal) return next.handle();
    return from(this.audited(context, request, next));
  }

  private async audited(context: ExecutionContext, request: AuditedRequest, next: CallHandler): Promise<unknown> {
    let after: unknown;
    let status: number;
    try {
      after = await lastValueFrom(next.handle(), { defaultValue: undefined });
      status = context.switchToHttp().getResponse<{ statusCode: number }>().statusCode;
    } catch (error) {
      await this.append(request, error instanceof HttpException ? error.getStatus() : 500, undefined);
      throw error;
    }
    await this.append(request, status, after);
    return after;
  }

  private async append(request: AuditedRequest, status: number, after: unknown): Promise<void> {
    const principal = request.principal!;
    const { tenant, ...target } = request.params;
    try {
      await this.log.append({
        tenant: tenant ?? principal.tenant,
        actor: principal.subject,
        actorRoles: principal.roles,
        action: `${request.method} ${request.route?.path ?? ''}`,
        target,
        request: maskSecrets(request.body),
        before: maskSecrets(request.auditBefore),
        after: maskSecrets(after),
        status,
        traceId: traceIdOf(currentTraceparent() ?? ''),
      });
    } catch (error) {
      this.logger.error({ err: error }, 'could not write the audit log');
      throw error;
    }
  }
}
