import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdCommands, CallbackOrigin } from '@lianluo/contracts';
import { Controller, Delete, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Public } from '../auth/public.decorator';
import { CommandRunner } from '../commands/command-runner';
import { IdempotencyKey } from '../commands/idempotency-key.decorator';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { ServiceForwarder } from '../services/service-forwarder';
import { tenantAddress, tenantId } from '../tenants/tenant-address';
import { callbackAnswer, callbackJson } from './callback-json';

const appointment = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with its zone, e.g. 2026-03-01T09:30:00+08:00' }).describe('Not called before this time');

/** What a customer's web form may ask: a number, a queue, a time, what they typed. */
const publicCallbackBody = z.strictObject({
  queue: z.string().min(1),
  number: z.string().min(1).describe('The number to call: 3 to 20 digits, optionally after +'),
  appointment: appointment.optional(),
  data: z.record(z.string().max(64), z.string().max(1_000)).optional().describe('What the form gathered, for the agent’s screen (at most 32 entries)'),
});

/** What the centre's own people and tools may ask besides. */
const callbackBody = publicCallbackBody.extend({
  callbackId: z.string().min(1).max(120).optional().describe('Makes the request idempotent; a fresh id when absent'),
  site: z.string().optional().describe('The site that dials; the agent’s when absent'),
  customerId: z.string().optional(),
  priority: z.number().int().min(0).max(100).optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
});

const callbackAddress = z.object({ tenant: tenantId, callbackId: z.string().min(1).max(120) });

/** Where the service's refusal of `callback.<field>` is in this body. */
const bodyField = (field: string) => field.replace(/^callback\./, '').replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

interface StatusResponse {
  status(code: number): unknown;
}

/** Callback requests (VM-2): from the centre's people and tools, and from customers' web forms. */
@ApiTags('callbacks')
@Controller('v1/tenants/:tenant')
export class CallbacksController {
  constructor(
    private readonly commands: CommandRunner,
    private readonly services: ServiceForwarder,
  ) {}

  @Post('callbacks')
  @ApiBearerAuth()
  @Allow('create', 'Callback')
  @ApiOperation({ summary: 'Ask for a customer to be called back, at once or at an appointed time; 201, or 200 when the callbackId was asked before' })
  @Answers(201, callbackAnswer, [503])
  async request(
    @ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>,
    @ValidBody(callbackBody) body: z.output<typeof callbackBody>,
    @Res({ passthrough: true }) response: StatusResponse,
    @IdempotencyKey() key?: string,
  ) {
    return this.requestCallback(tenant, body, body.callbackId ?? `api-${key ?? randomUUID()}`, response, key);
  }

  @Post('public/callbacks')
  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ login: true })
  @ApiOperation({ summary: "A customer's web form asks to be called back (no sign-in; rate limited per client address: 429)" })
  @Answers(201, callbackAnswer, [429, 503])
  async requestFromWeb(
    @ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>,
    @ValidBody(publicCallbackBody) body: z.output<typeof publicCallbackBody>,
    @Res({ passthrough: true }) response: StatusResponse,
    @IdempotencyKey() key?: string,
  ) {
    return this.requestCallback(tenant, body, `web-${key ?? randomUUID()}`, response, key);
  }

  @Get('callbacks/:callbackId')
  @ApiBearerAuth()
  @Allow('read', 'Callback')
  @ApiOperation({ summary: 'A callback, its status and the history of its attempts' })
  @Answers(200, callbackAnswer.omit({ duplicate: true }).extend({ history: z.array(z.record(z.string(), z.unknown())) }), [404, 503])
  find(@ValidPath(callbackAddress) { tenant, callbackId }: z.output<typeof callbackAddress>) {
    return this.services.json('acd', `/v1/tenants/${tenant}/callbacks/${encodeURIComponent(callbackId)}`);
  }

  @Delete('callbacks/:callbackId')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('delete', 'Callback')
  @ApiOperation({ summary: 'Withdraw a scheduled or queued callback; 409 while it is dialled or once it is over' })
  @Answers(200, callbackAnswer, [404, 409, 503])
  async cancel(@ValidPath(callbackAddress) { tenant, callbackId }: z.output<typeof callbackAddress>, @IdempotencyKey() key?: string) {
    const result = await this.commands.run(AcdCommands.cancelCallback, { tenant, callbackId }, key);
    return callbackJson(result.callback!, result.duplicate);
  }

  private async requestCallback(tenant: string, body: z.output<typeof callbackBody>, callbackId: string, response: StatusResponse, key: string | undefined) {
    const { appointment: at, callbackId: _, ...rest } = body;
    const callback = { ...rest, callbackId, origin: CallbackOrigin.WEB, ...(at === undefined ? {} : { appointment: timestampFromMs(Date.parse(at)) }) };
    const result = await this.commands.run(AcdCommands.requestCallback, { tenant, callback }, key, bodyField);
    response.status(result.duplicate ? 200 : 201);
    return callbackJson(result.callback!, result.duplicate);
  }
}
