import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { pageOf } from '../http/page-of';
import { Answers, ValidBody, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress } from '../tenants/tenant-address';
import { newSubscriptionAnswer, rotatedSecretAnswer, subscriptionAnswer, subscriptionJson, subscriptionPageAnswer } from './webhook-answers';
import { type WebhookPath, newWebhookBody, subscriptionPageQuery, webhookAddress, webhookChangeBody } from './webhook-requests';
import { newWebhookSecret } from './webhook-secret';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhookUrls } from './webhook-urls';

export const webhookNotFound = () => new NotFoundException({ error: 'not_found', message: 'no such webhook in this tenant' });

/** A tenant's webhook subscriptions (admins): where its events go, of which types, signed with which secret. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/webhooks')
export class WebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly urls: WebhookUrls,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @Allow('read', 'Webhook')
  @ApiOperation({ summary: 'A page of subscriptions, oldest first; `next` is the `after` of the next page, null on the last' })
  @Answers(200, subscriptionPageAnswer)
  async list(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(subscriptionPageQuery) { limit, after }: z.output<typeof subscriptionPageQuery>) {
    const page = pageOf(await this.subscriptions.list(tenant, limit + 1, after), limit, (subscription) => subscription.webhookId);
    return { items: page.items.map(subscriptionJson), next: page.next };
  }

  @Post()
  @Allow('create', 'Webhook')
  @ApiOperation({ summary: 'Subscribe a URL to event types; the answer shows the signing secret, the only time it is shown' })
  @Answers(201, newSubscriptionAnswer)
  async create(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidBody(newWebhookBody) body: z.output<typeof newWebhookBody>) {
    await this.urls.check(body.url);
    const secret = newWebhookSecret();
    return { ...subscriptionJson(await this.subscriptions.create(tenant, body, secret)), secret };
  }

  @Get(':webhookId')
  @Allow('read', 'Webhook')
  @ApiOperation({ summary: 'One subscription' })
  @Answers(200, subscriptionAnswer, [404])
  async find(@ValidPath(webhookAddress) { tenant, webhookId }: WebhookPath) {
    const subscription = await this.subscriptions.find(tenant, webhookId);
    if (!subscription) throw webhookNotFound();
    return subscriptionJson(subscription);
  }

  @Patch(':webhookId')
  @Allow('update', 'Webhook')
  @ApiOperation({ summary: 'Change URL, event types, description, or pause it (enabled: false: no new deliveries, pending ones wait)' })
  @Answers(200, subscriptionAnswer, [404])
  async update(@ValidPath(webhookAddress) { tenant, webhookId }: WebhookPath, @ValidBody(webhookChangeBody) change: z.output<typeof webhookChangeBody>, @Req() request: AuditedRequest) {
    if (change.url !== undefined) await this.urls.check(change.url);
    await this.auditBefore(request, tenant, webhookId);
    const subscription = await this.subscriptions.update(tenant, webhookId, change);
    if (!subscription) throw webhookNotFound();
    return subscriptionJson(subscription);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Allow('delete', 'Webhook')
  @ApiOperation({ summary: 'Delete a subscription with its delivery log; nothing more is sent to it' })
  @Answers(204, undefined, [404])
  async remove(@ValidPath(webhookAddress) { tenant, webhookId }: WebhookPath, @Req() request: AuditedRequest): Promise<void> {
    await this.auditBefore(request, tenant, webhookId);
    if (!(await this.subscriptions.remove(tenant, webhookId))) throw webhookNotFound();
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @Allow('update', 'Webhook')
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one still signs beside it until previousSecretExpiresAt' })
  @Answers(200, rotatedSecretAnswer, [404])
  async rotateSecret(@ValidPath(webhookAddress) { tenant, webhookId }: WebhookPath) {
    const secret = newWebhookSecret();
    const previousUntil = await this.subscriptions.rotateSecret(tenant, webhookId, secret, this.config.WEBHOOK_SECRET_GRACE_SECONDS);
    if (!previousUntil) throw webhookNotFound();
    return { webhookId, secret, previousSecretExpiresAt: previousUntil.toISOString() };
  }

  /** The subscription as it was before a change, for the audit log. */
  private async auditBefore(request: AuditedRequest, tenant: string, webhookId: string): Promise<void> {
    const before = await this.subscriptions.find(tenant, webhookId);
    if (before) auditBefore(request, subscriptionJson(before));
  }
}
