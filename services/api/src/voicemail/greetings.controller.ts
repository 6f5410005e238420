import { Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { ServiceForwarder } from '../services/service-forwarder';
import { tenantAddress, tenantId } from '../tenants/tenant-address';

const greetingBody = z.strictObject({ media: z.array(z.string()).min(1).max(16).describe('Media URIs the caller hears in turn, e.g. sound:vm-intro') });
const queueAddress = z.object({ tenant: tenantId, queue: z.string().min(1).max(128) });
const greetingsAnswer = z.object({ greetings: z.array(z.record(z.string(), z.unknown())) });

/** The voicemail greetings of the tenant and of each queue (admins). */
@ApiTags('voicemail')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/greetings')
export class GreetingsController {
  constructor(private readonly services: ServiceForwarder) {}

  @Get()
  @Allow('read', 'Configuration')
  @ApiOperation({ summary: "The tenant's greeting and each queue's" })
  @Answers(200, greetingsAnswer, [503])
  list(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return this.services.json('voicemail', `/greetings/${tenant}`);
  }

  @Put()
  @Allow('update', 'Configuration')
  @ApiOperation({ summary: "Set the tenant's greeting" })
  @Answers(200, z.record(z.string(), z.unknown()), [503])
  setTenantGreeting(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidBody(greetingBody) body: z.output<typeof greetingBody>) {
    return this.services.json('voicemail', `/greetings/${tenant}`, { method: 'PUT', body });
  }

  @Delete()
  @HttpCode(204)
  @Allow('update', 'Configuration')
  @ApiOperation({ summary: "Remove the tenant's greeting (the default plays)" })
  @Answers(204, undefined, [404, 503])
  async removeTenantGreeting(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>): Promise<void> {
    await this.services.send('voicemail', `/greetings/${tenant}`, { method: 'DELETE' });
  }

  @Put('queues/:queue')
  @Allow('update', 'Configuration')
  @ApiOperation({ summary: "Set a queue's greeting" })
  @Answers(200, z.record(z.string(), z.unknown()), [503])
  setQueueGreeting(@ValidPath(queueAddress) { tenant, queue }: z.output<typeof queueAddress>, @ValidBody(greetingBody) body: z.output<typeof greetingBody>) {
    return this.services.json('voicemail', `/greetings/${tenant}/queues/${encodeURIComponent(queue)}`, { method: 'PUT', body });
  }

  @Delete('queues/:queue')
  @HttpCode(204)
  @Allow('update', 'Configuration')
  @ApiOperation({ summary: "Remove a queue's greeting (the tenant's plays)" })
  @Answers(204, undefined, [404, 503])
  async removeQueueGreeting(@ValidPath(queueAddress) { tenant, queue }: z.output<typeof queueAddress>): Promise<void> {
    await this.services.send('voicemail', `/greetings/${tenant}/queues/${encodeURIComponent(queue)}`, { method: 'DELETE' });
  }
}
