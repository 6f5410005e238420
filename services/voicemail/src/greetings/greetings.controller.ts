import { parseRequest } from '@lianluo/config';
import { ServiceIdentityGuard } from '@lianluo/service-auth';
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { queueParam, tenantParam } from '../http/identifiers';
import { GreetingsRepository } from './greetings.repository';

const greetingBody = z.object({
  media: z
    .array(z.string().regex(/^[a-z]+:.+/, { error: 'must be a media URI such as sound:vm-intro' }))
    .min(1, { error: 'needs at least one media URI' })
    .max(16, { error: 'takes at most 16 media URIs' }),
});

/**
 * Greetings per tenant (`/greetings/:tenant`) and per queue (`/greetings/:tenant/queues/:queue`):
 * media URIs the media gateway plays. The api edge puts these behind its admin roles; only
 * api's service identity gets in.
 */
@UseGuards(ServiceIdentityGuard)
@Controller('greetings')
export class GreetingsController {
  constructor(private readonly greetings: GreetingsRepository) {}

  @Get(':tenant')
  async list(@Param('tenant') tenant: string) {
    return { greetings: await this.greetings.list(parseRequest(tenantParam, tenant, 'path')) };
  }

  @Put(':tenant')
  setTenantGreeting(@Param('tenant') tenant: string, @Body() body: unknown) {
    return this.greetings.set(parseRequest(tenantParam, tenant, 'path'), '', parseRequest(greetingBody, body, 'body').media);
  }

  @Put(':tenant/queues/:queue')
  setQueueGreeting(@Param() params: Record<string, string>, @Body() body: unknown) {
    const { tenant, queue } = parseRequest(z.object({ tenant: tenantParam, queue: queueParam }), params, 'path');
    return this.greetings.set(tenant, queue, parseRequest(greetingBody, body, 'body').media);
  }

  @Delete(':tenant')
  @HttpCode(204)
  async removeTenantGreeting(@Param('tenant') tenant: string) {
    await this.removeOrNotFound(parseRequest(tenantParam, tenant, 'path'), '');
  }

  @Delete(':tenant/queues/:queue')
  @HttpCode(204)
  async removeQueueGreeting(@Param() params: Record<string, string>) {
    const { tenant, queue } = parseRequest(z.object({ tenant: tenantParam, queue: queueParam }), params, 'path');
    await this.removeOrNotFound(tenant, queue);
  }

  private async removeOrNotFound(tenant: string, queue: string): Promise<void> {
    if (!(await this.greetings.remove(tenant, queue))) {
      throw new NotFoundException({ error: 'not_found', message: `no greeting for ${queue ? `queue ${queue} of ` : ''}tenant ${tenant}` });
    }
  }
}
