import { Controller, ConflictException, Delete, Get, HttpCode, NotFoundException, Patch, Post, Req } from '@nestjs/common';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES } from '../auth/role';
import { pageOf } from '../http/page-of';
import { Answers, ValidBody, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { UserConflict, UsersRepository } from '../identity/users.repository';
import { type UserAccount } from '../identity/user-account';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress, tenantId } from '../tenants/tenant-address';

const tenantRoles = z.array(z.enum(ROLES.filter((role) => role !== 'platform-operator') as ['agent', 'supervisor', 'admin'])).min(1, { error: 'must hold at least one role' });
const agentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be an acd agent id: 1-128 letters, digits, _ . @ or -' });
const password = z.string().min(12, { error: 'must be at least 12 characters' }).max(1000);

const newUserBody = z.strictObject({
  login: z.string().trim().min(1).max(200),
  displayName: z.string().max(200).optional(),
  roles: tenantRoles,
  agentId: agentId.optional().describe('The acd agent this person works as (agents)'),
  password,
});
const userChangeBody = z.strictObject({
  displayName: z.string().max(200).optional(),
  roles: tenantRoles.optional(),
  agentId: agentId.nullable().optional(),
  password: password.optional(),
  disabled: z.boolean().optional(),
});
const userAddress = z.object({ tenant: tenantId, userId: z.uuid({ error: 'must be a user id (a UUID)' }) });
const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(200).optional().describe('The `next` of the previous page'),
});

const userAnswer = z.object({
  userId: z.string(),
  login: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  agentId: z.string().nullable(),
  disabled: z.boolean(),
});
const userPageAnswer = z.object({ items: z.array(userAnswer), next: z.string().nullable() });

function userJson(user: UserAccount): z.output<typeof userAnswer> {
  return { userId: user.userId, login: user.login, displayName: user.displayName, roles: [...user.roles], agentId: user.agentId ?? null, disabled: user.disabled };
}

const notFound = () => new NotFoundException({ error: 'not_found', message: 'no such user in this tenant' });

function answering<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof UserConflict) throw new ConflictException({ error: 'conflict', message: error.message, problems: [{ field: `body.${error.field}`, reason: error.message }] });
    throw error;
  });
}

/** A tenant's users of the embedded provider and their roles (admins). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  @Get()
  @Allow('read', 'User')
  @ApiOperation({ summary: 'A page of users by login; `next` is the `after` of the next page, null on the last' })
  @Answers(200, userPageAnswer)
  async list(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(pageQuery) { limit, after }: z.output<typeof pageQuery>) {
    const page = pageOf(await this.users.list(tenant, limit + 1, after), limit, (user) => user.login);
    return { items: page.items.map(userJson), next: page.next };
  }

  @Post()
  @Allow('create', 'User')
  @ApiOperation({ summary: 'Create a user with roles (and the agent they work as)' })
  @Answers(201, userAnswer, [409])
  async create(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidBody(newUserBody) body: z.output<typeof newUserBody>) {
    return userJson(await answering(() => this.users.create({ ...body, tenant })));
  }

  @Get(':userId')
  @Allow('read', 'User')
  @ApiOperation({ summary: 'One user' })
  @Answers(200, userAnswer, [404])
  async find(@ValidPath(userAddress) { tenant, userId }: z.output<typeof userAddress>) {
    const user = await this.users.find(userId);
    if (!user || user.tenant !== tenant) throw notFound();
    return userJson(user);
  }

  @Patch(':userId')
  @Allow('update', 'User')
  @ApiOperation({ summary: "Change a user; new roles, agent or password, or disabling, end the user's sessions" })
  @Answers(200, userAnswer, [404, 409])
  async update(@ValidPath(userAddress) { tenant, userId }: z.output<typeof userAddress>, @ValidBody(userChangeBody) change: z.output<typeof userChangeBody>, @Req() request: AuditedRequest) {
    const before = await this.users.find(userId);
    if (before?.tenant === tenant) auditBefore(request, userJson(before));
    const user = await answering(() => this.users.update(tenant, userId, change));
    if (!user) throw notFound();
    return userJson(user);
  }

  @Delete(':userId')
  @HttpCode(204)
  @Allow('delete', 'User')
  @ApiOperation({ summary: 'Delete a user and end their sessions' })
  @Answers(204, undefined, [404])
  async remove(@ValidPath(userAddress) { tenant, userId }: z.output<typeof userAddress>, @Req() request: AuditedRequest): Promise<void> {
    const before = await this.users.find(userId);
    if (before?.tenant === tenant) auditBefore(request, userJson(before));
    if (!(await this.users.remove(tenant, userId))) throw notFound();
  }
}
