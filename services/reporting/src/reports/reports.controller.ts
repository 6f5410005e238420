import { ServiceIdentityGuard } from '@lianluo/service-auth';
import { Controller, Get, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CLOCK, type Clock } from '../clock';
import { ApiQueryFrom } from './api-query.decorator';
import { toCsv } from './csv';
import {
  agentStatesQuerySchema,
  interactionsQuerySchema,
  parseQuery,
  performanceQuerySchema,
  queueIntervalsQuerySchema,
} from './report-query';
import { type ReportPage, ReportsService } from './reports.service';

/** The part of Express's response a report sets. */
interface ReportResponse {
  setHeader(name: string, value: string): unknown;
}

const PERFORMANCE_FIGURES = [
  'contacts', 'offered', 'answered', 'answeredWithinThreshold', 'serviceLevel', 'asaSeconds', 'ahtSeconds',
  'abandoned', 'abandonRate', 'averageAbandonSeconds', 'overflowed', 'withdrawn',
];

const PAGE_DESCRIPTION = 'JSON: `{ items, page, pageSize, nextPage }`. CSV (`format=csv`): a header line, then one line per item; `X-Next-Page` names the next page.';

/** The reports, for api only: every route needs api's service token for reporting. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: "No valid service token of api's for reporting: `{ error: 'unauthorized', message }`." })
@UseGuards(ServiceIdentityGuard)
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('reports/performance')
  @ApiOperation({
    summary: 'Service level, ASA, AHT, abandon rate and time, contacts, per queue / site / agent / channel / interval',
    description:
      'Contacts count in the period they were queued in (started in, if never queued). offered = queued; serviceLevel = answered within ' +
      'serviceLevelSeconds of being queued / offered; ASA = mean wait of answered contacts; AHT = mean talk plus wrap-up; ' +
      'abandonRate = abandoned / offered; averageAbandonSeconds = mean wait before abandoning; withdrawn = left the queue by the ' +
      "caller's voicemail or callback key (or its owner's withdrawal), counted in offered but neither answered nor abandoned.",
  })
  @ApiQueryFrom(performanceQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: PAGE_DESCRIPTION })
  async performance(@Query() raw: Record<string, unknown>, @Res({ passthrough: true }) response: ReportResponse) {
    const query = parseQuery(performanceQuerySchema, raw);
    const page = await this.reports.performance(query);
    const dimensions = query.groupBy.map((dimension) => (dimension === 'interval' ? 'intervalStart' : dimension));
    return respond(response, query.format, page, [...dimensions, ...PERFORMANCE_FIGURES]);
  }

  @Get('reports/agent-states')
  @ApiOperation({ summary: 'Seconds per agent state and occupancy, per agent and site', description: 'occupancy = (busy + wrap-up) / (ready + reserved + busy + wrap-up).' })
  @ApiQueryFrom(agentStatesQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: PAGE_DESCRIPTION })
  async agentStates(@Query() raw: Record<string, unknown>, @Res({ passthrough: true }) response: ReportResponse) {
    const query = parseQuery(agentStatesQuerySchema, raw);
    const page = await this.reports.agentStates(query, this.clock());
    return respond(response, query.format, page, ['agent', 'site', 'readySeconds', 'notReadySeconds', 'reservedSeconds', 'busySeconds', 'wrapUpSeconds', 'occupancy']);
  }

  @Get('reports/queue-intervals')
  @ApiOperation({ summary: 'The 15-minute and daily queue rows the event store keeps, with service level at 10, 20, 30 and 60 s' })
  @ApiQueryFrom(queueIntervalsQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: PAGE_DESCRIPTION })
  async queueIntervals(@Query() raw: Record<string, unknown>, @Res({ passthrough: true }) response: ReportResponse) {
    const query = parseQuery(queueIntervalsQuerySchema, raw);
    const page = await this.reports.queueIntervals(query);
    return respond(response, query.format, page, [
      'intervalStart', 'queue', 'channel', 'site', 'offered', 'answered', 'abandoned', 'overflowed', 'serviceLevel10s', 'serviceLevel20s',
      'serviceLevel30s', 'serviceLevel60s', 'asaSeconds', 'ahtSeconds', 'abandonRate', 'averageAbandonSeconds',
    ]);
  }

  @Get('customers/:customer/interactions')
  @ApiOperation({ summary: "A customer's contacts of every channel, newest first, by customer id or calling number (AG-2)" })
  @ApiQueryFrom(interactionsQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: PAGE_DESCRIPTION })
  async interactions(@Param('customer') customer: string, @Query() raw: Record<string, unknown>, @Res({ passthrough: true }) response: ReportResponse) {
    const query = parseQuery(interactionsQuerySchema, raw);
    const page = await this.reports.interactions(customer, query);
    return respond(response, query.format, page, [
      'contactId', 'channel', 'outcome', 'site', 'ani', 'dnis', 'customerId', 'queue', 'agent', 'agentSite', 'startedAt', 'ivrFlow', 'ivrOutcome',
      'ivrEndedAt', 'queuedAt', 'agentAnsweredAt', 'transferredAt', 'overflowedAt', 'abandonedAt', 'withdrawnAt', 'queueChoice', 'endedAt',
      'releasedAt', 'wrapUpEndedAt', 'wrapUpCode', 'notes', 'voicemailMessageId', 'waitSeconds', 'talkSeconds', 'wrapUpSeconds', 'handleSeconds', 'transfers', 'ringNoAnswers',
    ]);
  }
}

function respond<Row extends object>(response: ReportResponse, format: 'json' | 'csv', page: ReportPage<Row>, columns: string[]) {
  if (page.nextPage !== null) response.setHeader('X-Next-Page', String(page.nextPage));
  if (format === 'json') return page;
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  return toCsv(columns, page.items as Record<string, unknown>[]);
}
