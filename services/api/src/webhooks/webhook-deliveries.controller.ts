import { ConflictException, Controller, Get, HttpCode, NotFoundException, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type z } from 'zod';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { Answers, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { type DeliveryStatus } from './webhook-delivery';
import { attemptJson, deliveryDetailAnswer, deliveryJson, deliveryPageAnswer, redeliveryAnswer } from './webhook-answers';
import { type DeliveryPath, type WebhookPath, deadLetterPageQuery, deliveryAddress, deliveryPageQuery, webhookAddress } from './webhook-requests';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { webhookNotFound } from './webhooks.controller';

const deliveryNotFound = () => new NotFoundException({ error: 'not_found', message: 'no such delivery of this webhook' });

/** A subscription's delivery log and dead letters (admins), and the redelivery of a dead letter. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/webhooks/:webhookId')
export class WebhookDeliveriesController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  @Get('deliveries')
  @Allow('read', 'Webhook')
  @ApiOperation({ summary: 'The delivery log, newest first, of one status or all; `next` is the `after` of the next page' })
  @Answers(200, deliveryPageAnswer, [404])
  async list(@ValidPath(webhookAddress) path: WebhookPath, @ValidQuery(deliveryPageQuery) { status, limit, after }: z.output<typeof deliveryPageQuery>) {
    return this.page(path, status, limit, after);
  }

  @Get('dead-letters')
  @Allow('read', 'Webhook')
  @ApiOperation({ summary: 'Deliveries whose every attempt failed, newest first; redeliver sends one again' })
  @Answers(200, deliveryPageAnswer, [404])
  async deadLetters(@ValidPath(webhookAddress) path: WebhookPath, @ValidQuery(deadLetterPageQuery) { limit, after }: z.output<typeof deadLetterPageQuery>) {
    return this.page(path, 'dead', limit, after);
  }

  @Get('deliveries/:deliveryId')
  @Allow('read', 'Webhook')
  @ApiOperation({ summary: 'One delivery with each of its attempts' })
  @Answers(200, deliveryDetailAnswer, [404])
  async find(@ValidPath(deliveryAddress) { tenant, webhookId, deliveryId }: DeliveryPath) {
    const found = await this.deliveries.find(tenant, webhookId, deliveryId);
    if (!found) throw deliveryNotFound();
    return { ...deliveryJson(found.delivery), attemptLog: found.attempts.map(attemptJson) };
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Allow('update', 'Webhook')
  @ApiOperation({ summary: 'Send a dead letter again, with a fresh set of attempts, before the later deliveries of its subject' })
  @Answers(202, redeliveryAnswer, [404, 409])
  async redeliver(@ValidPath(deliveryAddress) { tenant, webhookId, deliveryId }: DeliveryPath, @Req() request: AuditedRequest): Promise<z.output<typeof redeliveryAnswer>> {
    const before = await this.deliveries.find(tenant, webhookId, deliveryId);
    if (before) auditBefore(request, deliveryJson(before.delivery));
    const outcome = await this.deliveries.redeliver(tenant, webhookId, deliveryId);
    if (outcome === 'unknown') throw deliveryNotFound();
    if (outcome === 'not-dead') throw new ConflictException({ error: 'conflict', message: 'only a dead letter can be redelivered' });
    return { deliveryId, status: 'pending' };
  }

  private async page({ tenant, webhookId }: WebhookPath, status: DeliveryStatus | undefined, limit: number, after: string | undefined) {
    if (!(await this.subscriptions.find(tenant, webhookId))) throw webhookNotFound();
    const page = await this.deliveries.list(tenant, webhookId, status, limit, after);
    return { items: page.items.map(deliveryJson), next: page.next };
  }
}
