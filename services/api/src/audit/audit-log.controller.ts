import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Answers, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress } from '../tenants/tenant-address';
import { AuditLogRepository } from './audit-log.repository';

const auditQuery = z.strictObject({
  actor: z.string().max(200).optional().describe('Only this actor (user id or client id)'),
  action: z.string().max(200).optional().describe('Only actions containing this text, e.g. `/users`'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional().describe('The `next` of the previous page'),
});

const auditEntryAnswer = z.object({
  entryId: z.number().int(),
  at: z.iso.datetime(),
  actor: z.string(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  target: z.record(z.string(), z.string()),
  request: z.unknown(),
  before: z.unknown(),
  after: z.unknown(),
  status: z.number().int(),
  traceId: z.string().nullable(),
});
const auditPageAnswer = z.object({ items: z.array(auditEntryAnswer), next: z.number().int().nullable() });

/** Who changed what in a tenant, and when, newest first (admins). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/audit-log')
export class AuditLogController {
  constructor(private readonly log: AuditLogRepository) {}

  @Get()
  @Allow('read', 'AuditLog')
  @ApiOperation({ summary: 'Changes made through the api: who, what, when, before and after (passwords and secrets masked)' })
  @Answers(200, auditPageAnswer)
  async list(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(auditQuery) query: z.output<typeof auditQuery>) {
    const rows = await this.log.page(tenant, { ...query, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    return { items, next: rows.length > query.limit ? (items.at(-1)?.entryId ?? null) : null };
  }
}
