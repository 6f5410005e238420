import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { Answers, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { ServiceForwarder } from '../services/service-forwarder';
import { tenantAddress, tenantId } from '../tenants/tenant-address';

const text = (description: string) => z.string().max(2_000).optional().describe(description);
const period = {
  from: z.string().describe('Start, inclusive: ISO 8601 with zone, e.g. 2026-11-23T00:00:00+08:00'),
  to: z.string().describe('End, exclusive (at most 400 days after from)'),
};
const paging = {
  format: z.enum(['json', 'csv']).optional().describe('json (default) or csv'),
  page: text('Page number, from 1'),
  pageSize: text('1 to 1000 (100)'),
};

/** The reports' parameters; reporting checks each value's rule and answers 400 naming it. */
const performanceQuery = z.strictObject({
  ...period,
  queue: text('Comma-separated queues'),
  site: text('Comma-separated sites'),
  agent: text('Comma-separated agents'),
  channel: text('Comma-separated channels'),
  groupBy: text('Comma-separated: queue, site, agent, agentSite, channel, interval'),
  interval: z.enum(['15m', '1h', '1d']).optional(),
  serviceLevelSeconds: text('Answered within this many seconds counts towards the service level (20)'),
  ...paging,
});
const agentStatesQuery = z.strictObject({ ...period, agent: text('Comma-separated agents'), site: text('Comma-separated sites'), ...paging });
const queueIntervalsQuery = z.strictObject({ ...period, granularity: z.enum(['15m', '1d']).optional(), queue: text('Comma-separated queues'), ...paging });
const interactionsQuery = z.strictObject(paging);
const customerAddress = z.object({ tenant: tenantId, customer: z.string().min(1).max(128).describe('A customer id or the number they call from') });

const PAGE = z.object({ items: z.array(z.record(z.string(), z.unknown())), page: z.number().int(), pageSize: z.number().int(), nextPage: z.number().int().nullable() });

/** Reports and customer history from reporting (REP-2, AG-2), for the tenant of the path only. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('v1/tenants/:tenant')
export class ReportsController {
  constructor(private readonly services: ServiceForwarder) {}

  @Get('reports/performance')
  @Allow('read', 'Report')
  @ApiOperation({ summary: 'Service level, ASA, AHT, abandon rate and time, contacts; per queue, site, agent, channel, interval' })
  @Answers(200, PAGE, [503])
  async performance(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(performanceQuery) query: z.output<typeof performanceQuery>, @Res() res: ServerResponse) {
    await this.services.pipe('reporting', '/reports/performance', { query: { ...query, tenant } }, res);
  }

  @Get('reports/agent-states')
  @Allow('read', 'Report')
  @ApiOperation({ summary: 'Seconds per agent state and occupancy, per agent and site' })
  @Answers(200, PAGE, [503])
  async agentStates(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(agentStatesQuery) query: z.output<typeof agentStatesQuery>, @Res() res: ServerResponse) {
    await this.services.pipe('reporting', '/reports/agent-states', { query: { ...query, tenant } }, res);
  }

  @Get('reports/queue-intervals')
  @Allow('read', 'Report')
  @ApiOperation({ summary: 'The 15-minute and daily queue rows, with service level at 10, 20, 30 and 60 s' })
  @Answers(200, PAGE, [503])
  async queueIntervals(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>, @ValidQuery(queueIntervalsQuery) query: z.output<typeof queueIntervalsQuery>, @Res() res: ServerResponse) {
    await this.services.pipe('reporting', '/reports/queue-intervals', { query: { ...query, tenant } }, res);
  }

  @Get('customers/:customer/interactions')
  @Allow('read', 'Interaction')
  @ApiOperation({ summary: "A customer's contacts of every channel, newest first, by customer id or calling number (AG-2)" })
  @Answers(200, PAGE, [503])
  async interactions(@ValidPath(customerAddress) { tenant, customer }: z.output<typeof customerAddress>, @ValidQuery(interactionsQuery) query: z.output<typeof interactionsQuery>, @Res() res: ServerResponse) {
    await this.services.pipe('reporting', `/customers/${encodeURIComponent(customer)}/interactions`, { query: { ...query, tenant } }, res);
  }
}
