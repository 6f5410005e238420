import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

const TOKEN = /^[A-Za-z0-9_.:@+-]+$/;
const MAX_RANGE_DAYS = 400;

const token = z.string().regex(TOKEN, { error: 'must be letters, digits and _ . : @ + - only' });

/** A comma-separated list of tokens, e.g. `queue=sales,billing`. */
const tokenList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(token).min(1, { error: 'must name at least one' }).max(100, { error: 'must name at most 100' }));

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with zone, e.g. 2026-11-23T00:00:00Z' }).transform((value) => Date.parse(value));

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const period = {
  tenant: token,
  /** Start of the period, inclusive. */
  from: instant,
  /** End of the period, exclusive. */
  to: instant,
};

const checkPeriod = (query: { from: number; to: number }, ctx: z.core.$RefinementCtx) => {
  if (query.to <= query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (query.to - query.from > MAX_RANGE_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
};

const paging = {
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  page: wholeNumber(1, 1_000_000).default(1),
  pageSize: wholeNumber(1, 1000).default(100),
};

export const PERFORMANCE_DIMENSIONS = ['queue', 'site', 'agent', 'agentSite', 'channel', 'interval'] as const;
export type PerformanceDimension = (typeof PERFORMANCE_DIMENSIONS)[number];

export const REPORT_INTERVALS = ['15m', '1h', '1d'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

const dimensionList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.enum(PERFORMANCE_DIMENSIONS, { error: `must be among ${PERFORMANCE_DIMENSIONS.join(', ')}` })).max(PERFORMANCE_DIMENSIONS.length))
  .refine((dimensions) => new Set(dimensions).size === dimensions.length, { error: 'must not name a dimension twice' });

/** Service level, ASA, AHT, abandons and contacts, grouped by any of queue, site, agent, channel and interval. */
export const performanceQuerySchema = z
  .object({
    ...period,
    queue: tokenList.optional(),
    site: tokenList.optional(),
    agent: tokenList.optional(),
    channel: tokenList.optional(),
    groupBy: dimensionList.default([]),
    interval: z.enum(REPORT_INTERVALS, { error: `must be one of ${REPORT_INTERVALS.join(', ')}` }).default('1h'),
    /** Answered within this many seconds of being queued counts towards the service level. */
    serviceLevelSeconds: wholeNumber(1, 3600).default(20),
    ...paging,
  })
  .superRefine(checkPeriod);
export type PerformanceQuery = z.output<typeof performanceQuerySchema>;

/** Time each agent spent in each state, and occupancy. */
export const agentStatesQuerySchema = z
  .object({ ...period, agent: tokenList.optional(), site: tokenList.optional(), ...paging })
  .superRefine(checkPeriod);
export type AgentStatesQuery = z.output<typeof agentStatesQuerySchema>;

/** The rows kept per queue and interval (15 minutes or a day). */
export const queueIntervalsQuerySchema = z
  .object({ ...period, granularity: z.enum(['15m', '1d'], { error: 'must be 15m or 1d' }).default('15m'), queue: tokenList.optional(), ...paging })
  .superRefine(checkPeriod);
export type QueueIntervalsQuery = z.output<typeof queueIntervalsQuerySchema>;

/** A customer's contacts, newest first: by customer id or by the number they call from. */
export const interactionsQuerySchema = z.object({ tenant: token, ...paging });
export type InteractionsQuery = z.output<typeof interactionsQuerySchema>;

export interface FilterProblem {
  readonly field: string;
  readonly reason: string;
}

/** Parses query parameters; a 400 naming every bad field and why otherwise. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const problems: FilterProblem[] = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(query)',
    reason: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
    problems,
  });
}
