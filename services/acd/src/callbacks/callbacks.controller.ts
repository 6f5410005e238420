import { randomUUID } from 'node:crypto';
import { parseRequest } from '@lianluo/config';
import { ServiceIdentityGuard } from '@lianluo/service-auth';
import { BadRequestException, Body, ConflictException, Controller, Delete, Get, NotFoundException, Param, Post, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingError } from '../routing/routing-error';
import { identifier } from '../validation/identifiers';
import { type InputProblem, InvalidInput } from '../validation/invalid-input';
import type { Callback, CallbackAttempt } from './callback';
import { CallbacksService } from './callbacks.service';

const tenantParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be a tenant: 1-64 letters, digits, _ or -' });
const callbackAddress = z.object({ tenant: tenantParam, id: identifier });

/** A web form's callback request; the domain checks each field's rule (callbackRequestSchema). */
const callbackBody = z.strictObject({
  /** Makes the request idempotent; a fresh id when absent. */
  callbackId: z.string().optional(),
  queue: z.string(),
  number: z.string(),
  site: z.string().optional(),
  customerId: z.string().optional(),
  priority: z.number().optional(),
  maxAttempts: z.number().optional(),
  appointment: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with its zone, e.g. 2026-03-01T09:30:00+08:00' }).optional(),
  data: z.record(z.string(), z.string()).optional(),
});

/** The part of Express's response a handler sets. */
interface StatusResponse {
  status(code: number): unknown;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function callbackJson(callback: Callback) {
  return {
    callbackId: callback.callbackId,
    queue: callback.queue,
    number: callback.number,
    site: callback.site || null,
    customerId: callback.customerId || null,
    priority: callback.priority,
    data: callback.data,
    origin: callback.origin || null,
    status: callback.status,
    waitingSince: iso(callback.waitingSinceMs),
    appointment: iso(callback.appointmentMs),
    notBefore: iso(callback.notBeforeMs),
    attempts: callback.attempts,
    maxAttempts: callback.maxAttempts,
    lastOutcome: callback.lastOutcome ?? null,
    contactId: callback.contactId ?? null,
    createdAt: iso(callback.createdAtMs),
    updatedAt: iso(callback.updatedAtMs),
  };
}

function attemptJson(attempt: CallbackAttempt) {
  return {
    attempt: attempt.attempt,
    contactId: attempt.contactId,
    agentId: attempt.agentId,
    outcome: attempt.outcome,
    counted: attempt.counted,
    call: { site: attempt.callSite, callId: attempt.callId },
    endedAt: iso(attempt.endedAtMs),
    nextAttemptAt: iso(attempt.nextAttemptAtMs),
  };
}

/**
 * Runs a request's work, answering what it threw in HTTP's terms: bad input 400 naming
 * each field (`body.number`), a queue or skill the tenant lacks 400 too (it is a field of
 * the body), an unknown callback 404, a callback being dialled or over 409.
 */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw httpErrorOf(error);
  }
}

function httpErrorOf(error: unknown): unknown {
  if (error instanceof InvalidInput) return invalidRequest(error.problems);
  if (!(error instanceof RoutingError)) return error;
  if (error.kind === 'unknown-callback') return new NotFoundException({ error: 'not_found', message: error.message });
  if (error.kind === 'callback-dialling' || error.kind === 'callback-over') return new ConflictException({ error: error.kind, message: error.message });
  return invalidRequest([{ field: error.field ?? '', reason: error.message }]);
}

function invalidRequest(problems: readonly InputProblem[]): BadRequestException {
  const named = problems.map(({ field, reason }) => ({ field: `body.${field}`, reason }));
  return new BadRequestException({ error: 'invalid_request', message: named.map((p) => `${p.field} ${p.reason}`).join('; '), problems: named });
}

/**
 * Callbacks over HTTP for web forms and apps (VM-2), through the api edge (only api's
 * service identity gets in): request one (with an appointment or at once), see its status
 * and attempts, cancel it.
 */
@UseGuards(ServiceIdentityGuard)
@Controller('v1/tenants/:tenant/callbacks')
export class CallbacksController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly runner: RoutingCommandRunner,
  ) {}

  /** 201 with the new callback; 200 with the stored one when its callbackId was requested before. */
  @Post()
  async request(@Param() params: Record<string, string>, @Body() raw: unknown, @Res({ passthrough: true }) response: StatusResponse) {
    const { tenant } = parseRequest(z.object({ tenant: tenantParam }), params, 'path');
    const body = parseRequest(callbackBody, raw ?? {}, 'body');
    const { appointment, callbackId, ...rest } = body;
    const input = { ...rest, callbackId: callbackId ?? `web-${randomUUID()}`, origin: 'web' as const, ...(appointment === undefined ? {} : { appointment: Date.parse(appointment) }) };
    const { callback, duplicate } = await answering(() => this.runner.afterEvent(tenant, () => this.callbacks.request(tenant, input)));
    response.status(duplicate ? 200 : 201);
    return { ...callbackJson(callback), duplicate };
  }

  @Get(':id')
  async find(@Param() params: Record<string, string>) {
    const { tenant, id } = parseRequest(callbackAddress, params, 'path');
    const { callback, attempts } = await answering(() => this.callbacks.find(tenant, id));
    return { ...callbackJson(callback), history: attempts.map(attemptJson) };
  }

  /** 200 with the cancelled callback; 409 while it is dialled or once it is over. */
  @Delete(':id')
  async cancel(@Param() params: Record<string, string>) {
    const { tenant, id } = parseRequest(callbackAddress, params, 'path');
    const { callback, duplicate } = await answering(() => this.runner.afterEvent(tenant, () => this.callbacks.cancel(tenant, id)));
    return { ...callbackJson(callback), duplicate };
  }
}
