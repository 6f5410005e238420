import { parseRequest } from '@lianluo/config';
import { ServiceIdentityGuard } from '@lianluo/service-auth';
import { Body, Controller, Delete, HttpCode, NotFoundException, Param, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CallersRepository } from './callers.repository';

const tenant = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1-128 letters, digits, _ or -' });
const customerId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be 1-128 letters, digits, _ . @ - starting with a letter or digit' });
const number = z.string().regex(/^\+?[0-9]{3,20}$/, { error: 'must be 3 to 20 digits, optionally after +' });

const customerBody = z.strictObject({
  name: z.string().max(256).default(''),
  numbers: z.array(number).max(32).default([]),
  vip_tier: z.number().int().min(0).max(9).default(0),
  last_agent: z.string().max(128).default(''),
  open_cases: z.number().int().min(0).default(0),
  attributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a field name' }), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

/**
 * Who calls (IVR-2): the customer records and blocked numbers flows branch on. Loaded by
 * the CRM sync or an admin tool through the api edge, which puts these behind its admin
 * roles; only api's service identity gets in.
 */
@UseGuards(ServiceIdentityGuard)
@Controller('tenants/:tenant')
export class CallersController {
  constructor(private readonly callers: CallersRepository) {}

  @Put('customers/:id')
  async saveCustomer(@Param() params: Record<string, string>, @Body() body: unknown) {
    const path = parseRequest(z.object({ tenant, id: customerId }), params, 'path');
    const fields = parseRequest(customerBody, body ?? {}, 'body');
    const customer = { id: path.id, name: fields.name, numbers: fields.numbers, vipTier: fields.vip_tier, lastAgent: fields.last_agent, openCases: fields.open_cases, attributes: fields.attributes };
    await this.callers.saveCustomer(path.tenant, customer);
    return { id: path.id, ...fields };
  }

  @Delete('customers/:id')
  @HttpCode(204)
  async deleteCustomer(@Param() params: Record<string, string>) {
    const path = parseRequest(z.object({ tenant, id: customerId }), params, 'path');
    if (!(await this.callers.deleteCustomer(path.tenant, path.id))) throw new NotFoundException({ error: 'not_found', message: `no customer ${path.id}` });
  }

  @Put('blocked-numbers/:number')
  async block(@Param() params: Record<string, string>, @Body() body: unknown) {
    const path = parseRequest(z.object({ tenant, number }), params, 'path');
    const { reason } = parseRequest(z.strictObject({ reason: z.string().max(256).default('') }), body ?? {}, 'body');
    await this.callers.block(path.tenant, path.number, reason);
    return { number: path.number, reason };
  }

  @Delete('blocked-numbers/:number')
  @HttpCode(204)
  async unblock(@Param() params: Record<string, string>) {
    const path = parseRequest(z.object({ tenant, number }), params, 'path');
    if (!(await this.callers.unblock(path.tenant, path.number))) throw new NotFoundException({ error: 'not_found', message: `${path.number} is not blocked` });
  }
}
