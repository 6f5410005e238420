import { AcdCommands, MAX_CONTACT_NOTES_LENGTH } from '@lianluo/contracts';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { type Principal } from '../auth/principal';
import { CommandRunner } from '../commands/command-runner';
import { IdempotencyKey } from '../commands/idempotency-key.decorator';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { contactAddress, tenantAddress } from '../tenants/tenant-address';

const loginBody = z.strictObject({
  site: z.string().optional().describe('Hot desking: the site this session sits at, instead of the configured one'),
  extension: z.string().optional().describe("Hot desking: this session's phone extension"),
});
const notReadyBody = z.strictObject({ reason: z.string().min(1, { error: 'must name a not-ready reason code' }) });
const offerBody = z.strictObject({ attempt: z.number().int().min(1, { error: 'must be the offer attempt from contact.offered' }) });
const rejectBody = offerBody.extend({ reason: z.string().min(1).default('rejected') });
const releaseBody = z.strictObject({
  wrapUpCode: z.string().min(1).optional().describe("What came of the contact: one of the tenant's wrap-up codes (any code while it lists none)"),
  notes: z.string().max(MAX_CONTACT_NOTES_LENGTH).optional().describe("The agent's notes, kept in the customer's history"),
});
const transferBody = z.union(
  [
    z.strictObject({ queue: z.string().min(1) }),
    z.strictObject({ agentId: z.string().min(1), windowMs: z.number().int().min(1_000).max(600_000).optional().describe('How long only this agent may take it (default 30 s)') }),
  ],
  { error: 'must name either a queue or an agentId' },
);

const meAnswer = z.object({ tenant: z.string(), subject: z.string(), roles: z.array(z.string()), agentId: z.string().nullable() });
const duplicateAnswer = z.object({ duplicate: z.boolean().describe('The same command (Idempotency-Key) was done before') });
const logoutAnswer = duplicateAnswer.extend({ returnedContactIds: z.array(z.string()) });
const rejectAnswer = z.object({ returnedToQueue: z.boolean() });
const releaseAnswer = duplicateAnswer.extend({ wrapUpEndsAt: z.iso.datetime().nullable() });
const transferAnswer = z.object({ position: z.number().int().describe('Place in the new queue (0 when offered at once)') });

type TenantPath = z.output<typeof tenantAddress>;
type ContactPath = z.output<typeof contactAddress>;

/** The agent's own work (AG-1): sign in to the queues, state, offers and contacts, as acd commands. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/me')
export class MeController {
  constructor(private readonly commands: CommandRunner) {}

  @Get()
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Who the token says the caller is: tenant, roles, agent' })
  @Answers(200, meAnswer)
  me(@ValidPath(tenantAddress) { tenant }: TenantPath, @CurrentPrincipal() principal: Principal) {
    return { tenant, subject: principal.subject, roles: principal.roles, agentId: principal.agentId ?? null };
  }

  @Post('login')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Log in to my queues, not ready' })
  @Answers(200, duplicateAnswer, [404, 409, 503])
  async login(@ValidPath(tenantAddress) { tenant }: TenantPath, @ValidBody(loginBody) body: z.output<typeof loginBody>, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string) {
    const result = await this.commands.run(AcdCommands.loginAgent, { tenant, agentId: agentOf(principal), ...body }, key);
    return { duplicate: result.duplicate };
  }

  @Post('logout')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Log out; contacts ringing at me go back to their place' })
  @Answers(200, logoutAnswer, [404, 409, 503])
  async logout(@ValidPath(tenantAddress) { tenant }: TenantPath, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string) {
    const result = await this.commands.run(AcdCommands.logoutAgent, { tenant, agentId: agentOf(principal) }, key);
    return { returnedContactIds: result.returnedContactIds, duplicate: result.duplicate };
  }

  @Post('ready')
  @HttpCode(204)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Ready for contacts (ends a wrap-up early)' })
  @Answers(204, undefined, [404, 409, 503])
  async ready(@ValidPath(tenantAddress) { tenant }: TenantPath, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string): Promise<void> {
    await this.commands.run(AcdCommands.setAgentReady, { tenant, agentId: agentOf(principal) }, key);
  }

  @Post('not-ready')
  @HttpCode(204)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Not ready, with a reason code' })
  @Answers(204, undefined, [404, 409, 503])
  async notReady(@ValidPath(tenantAddress) { tenant }: TenantPath, @ValidBody(notReadyBody) { reason }: z.output<typeof notReadyBody>, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string): Promise<void> {
    await this.commands.run(AcdCommands.setAgentNotReady, { tenant, agentId: agentOf(principal), reasonCode: reason }, key);
  }

  @Post('offers/:contactId/accept')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Accept an offer (non-voice contacts; a call is accepted by answering it)' })
  @Answers(200, duplicateAnswer, [404, 409, 503])
  async accept(@ValidPath(contactAddress) { tenant, contactId }: ContactPath, @ValidBody(offerBody) { attempt }: z.output<typeof offerBody>, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string) {
    const result = await this.commands.run(AcdCommands.acceptOffer, { tenant, contactId, agentId: agentOf(principal), attempt }, key);
    return { duplicate: result.duplicate };
  }

  @Post('offers/:contactId/reject')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Reject an offer: the contact goes back to its place, I become not ready' })
  @Answers(200, rejectAnswer, [404, 409, 503])
  async reject(@ValidPath(contactAddress) { tenant, contactId }: ContactPath, @ValidBody(rejectBody) { attempt, reason }: z.output<typeof rejectBody>, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string) {
    const result = await this.commands.run(AcdCommands.rejectOffer, { tenant, contactId, agentId: agentOf(principal), attempt, reasonCode: reason }, key);
    return { returnedToQueue: result.returnedToQueue };
  }

  @Post('contacts/:contactId/release')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Finish a contact, optionally with a wrap-up code and notes; wrap-up starts when its queue has one' })
  @Answers(200, releaseAnswer, [404, 409, 503])
  async release(
    @ValidPath(contactAddress) { tenant, contactId }: ContactPath,
    @ValidBody(releaseBody) { wrapUpCode, notes }: z.output<typeof releaseBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key?: string,
  ) {
    const result = await this.commands.run(AcdCommands.releaseContact, { tenant, contactId, agentId: agentOf(principal), wrapUpCode: wrapUpCode ?? '', notes: notes ?? '' }, key);
    const endsAt = result.wrapUpEndsAt;
    return { wrapUpEndsAt: endsAt ? new Date(Number(endsAt.seconds) * 1000 + Math.floor(endsAt.nanos / 1e6)).toISOString() : null, duplicate: result.duplicate };
  }

  @Post('contacts/:contactId/transfer')
  @HttpCode(200)
  @Allow('act', 'Me')
  @ApiOperation({ summary: 'Transfer a contact to a queue, or to one agent for a while' })
  @Answers(200, transferAnswer, [404, 409, 503])
  async transfer(@ValidPath(contactAddress) { tenant, contactId }: ContactPath, @ValidBody(transferBody) body: z.output<typeof transferBody>, @CurrentPrincipal() principal: Principal, @IdempotencyKey() key?: string) {
    const target = 'queue' in body ? { case: 'queue' as const, value: body.queue } : { case: 'agentId' as const, value: body.agentId };
    const window = 'windowMs' in body && body.windowMs !== undefined ? { agentWindowMs: body.windowMs } : {};
    const result = await this.commands.run(AcdCommands.transferContact, { tenant, contactId, byAgentId: agentOf(principal), target, ...window }, key);
    return { position: result.position };
  }
}

/** The agent the principal works as; the policy only lets principals with one reach these routes. */
function agentOf(principal: Principal): string {
  return principal.agentId ?? '';
}
