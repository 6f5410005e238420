import { Controller, Delete, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { ServiceForwarder } from '../services/service-forwarder';
import { tenantId } from '../tenants/tenant-address';

/** A customer the ivr recognises by number (IVR-3): VIP tier, last agent, open cases, attributes. */
const customerBody = z.strictObject({
  name: z.string().max(256).optional(),
  numbers: z.array(z.string()).max(32).optional().describe('Numbers they call from: 3 to 20 digits, optionally after +'),
  vipTier: z.number().int().min(0).max(9).optional().describe('0: none; a VIP skips the menu'),
  lastAgent: z.string().max(128).optional().describe('Offered first (sticky routing)'),
  openCases: z.number().int().min(0).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
const blockBody = z.strictObject({ reason: z.string().max(256).optional() });
const customerAddress = z.object({ tenant: tenantId, customerId: z.string().min(1).max(128) });
const numberAddress = z.object({ tenant: tenantId, number: z.string().min(1).max(21) });
const done = z.record(z.string(), z.unknown());

/** The ivr's fields are snake_case; the api's one casing is camelCase. */
function ivrCustomer(body: z.output<typeof customerBody>) {
  const { vipTier, lastAgent, openCases, ...rest } = body;
  return { ...rest, ...(vipTier === undefined ? {} : { vip_tier: vipTier }), ...(lastAgent === undefined ? {} : { last_agent: lastAgent }), ...(openCases === undefined ? {} : { open_cases: openCases }) };
}

/** The callers the ivr knows (IVR-3): customers by number, and blocked numbers (admins, CRM tools). */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant')
export class CustomersController {
  constructor(private readonly services: ServiceForwarder) {}

  @Put('customers/:customerId')
  @Allow('update', 'Customer')
  @ApiOperation({ summary: 'Create or replace a customer the ivr recognises by the numbers they call from' })
  @Answers(200, done, [503])
  saveCustomer(@ValidPath(customerAddress) { tenant, customerId }: z.output<typeof customerAddress>, @ValidBody(customerBody) body: z.output<typeof customerBody>) {
    return this.services.json('ivr', `/tenants/${tenant}/customers/${encodeURIComponent(customerId)}`, { method: 'PUT', body: ivrCustomer(body) });
  }

  @Delete('customers/:customerId')
  @HttpCode(204)
  @Allow('delete', 'Customer')
  @ApiOperation({ summary: 'Forget a customer' })
  @Answers(204, undefined, [404, 503])
  async removeCustomer(@ValidPath(customerAddress) { tenant, customerId }: z.output<typeof customerAddress>): Promise<void> {
    await this.services.send('ivr', `/tenants/${tenant}/customers/${encodeURIComponent(customerId)}`, { method: 'DELETE' });
  }

  @Put('blocked-numbers/:number')
  @Allow('update', 'Customer')
  @ApiOperation({ summary: 'Block a calling number (nuisance calls): the ivr tells it there is no service and hangs up' })
  @Answers(200, done, [503])
  block(@ValidPath(numberAddress) { tenant, number }: z.output<typeof numberAddress>, @ValidBody(blockBody) body: z.output<typeof blockBody>) {
    return this.services.json('ivr', `/tenants/${tenant}/blocked-numbers/${encodeURIComponent(number)}`, { method: 'PUT', body });
  }

  @Delete('blocked-numbers/:number')
  @HttpCode(204)
  @Allow('delete', 'Customer')
  @ApiOperation({ summary: 'Unblock a calling number' })
  @Answers(204, undefined, [404, 503])
  async unblock(@ValidPath(numberAddress) { tenant, number }: z.output<typeof numberAddress>): Promise<void> {
    await this.services.send('ivr', `/tenants/${tenant}/blocked-numbers/${encodeURIComponent(number)}`, { method: 'DELETE' });
  }
}
