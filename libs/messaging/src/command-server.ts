import { type DescMessage, type MessageShape, create, toBinary } from '@bufbuild/protobuf';
import { type CommandDefinition, type CommandError, CommandErrorSchema, ErrorKind, type ResultOf } from '@lianluo/contracts';
import { Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { type Msg, type Subscription } from 'nats';
import { CommandFailure, NotForThisInstance } from './command-failure';
import { decodeAndValidate, describeViolations } from './message-codec';
import { type MessagingConnection } from './messaging-connection';
import { MessagingMetrics } from './messaging.metrics';
import { messagingSpanAttributes } from './messaging-span-attributes';
import { commandFilterOf, parseSubject } from './subjects';
import { traceContextOf } from './trace-headers';

/** Header with the caller's deadline (epoch milliseconds), so long commands can bound themselves. */
export const DEADLINE_HEADER = 'Lianluo-Deadline';

/** Header with the site whose instance a command is for (CommandDefinition.siteOf). */
export const SITE_HEADER = 'Lianluo-Site';

export interface CommandContext {
  readonly subject: string;
  readonly tenant: string;
  /** Epoch milliseconds after which the caller no longer waits; undefined when none was sent. */
  readonly deadline: number | undefined;
}

export type CommandHandlerFunction<Req extends DescMessage = DescMessage, Rep extends DescMessage = DescMessage> = (
  request: MessageShape<Req>,
  ctx: CommandContext,
) => Promise<ResultOf<Rep>> | ResultOf<Rep>;

/**
 * Serves commands by request/reply in the connection's queue group. Every request gets
 * exactly one reply from the instance it concerns: the result, or a typed CommandError.
 */
export class CommandServer {
  private readonly logger = new Logger(CommandServer.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly connection: MessagingConnection,
    private readonly metrics = new MessagingMetrics(),
  ) {}

  serve<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    handler: CommandHandlerFunction<Req, Rep>,
  ): Subscription {
    const subscription = this.connection.nc.subscribe(commandFilterOf(this.connection.namespace, definition.domain, definition.name), {
      queue: this.connection.options.queueGroup,
      callback: (error, message) => {
        if (error) {
          this.logger.error({ err: error, command: definition.name }, 'command subscription failed');
          return;
        }
        void this.handle(definition, handler, message);
      },
    });
    this.subscriptions.push(subscription);
    return subscription;
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.drain()));
    this.subscriptions.length = 0;
  }

  private async handle<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    handler: CommandHandlerFunction<Req, Rep>,
    message: Msg,
  ): Promise<void> {
    const labels = { domain: definition.domain, kind: 'command', name: definition.name };
    const reply = (outcome: { case: 'ok'; value: ResultOf<Rep> } | { case: 'error'; value: CommandError }) => {
      if (message.reply) message.respond(toBinary(definition.reply, create(definition.reply, { outcome } as never)));
    };
    const refuse = (reason: 'decode' | 'invalid', field: string, text: string) => {
      this.metrics.rejected.inc({ ...labels, reason });
      this.logger.warn({ subject: message.subject, reason, field, problem: text }, 'command rejected');
      reply({ case: 'error', value: create(CommandErrorSchema, { kind: ErrorKind.INVALID_ARGUMENT, field, message: text }) });
    };

    // Another site's command: its own site's instance answers it. Nothing to decode here.
    const addressedTo = message.headers?.get(SITE_HEADER) || undefined;
    const ownSite = this.connection.options.site;
    if (addressedTo !== undefined && ownSite !== undefined && addressedTo !== ownSite) {
      this.metrics.handled.inc({ ...labels, outcome: 'not_mine' });
      return;
    }

    const parts = parseSubject(message.subject);
    const decoded = decodeAndValidate(definition.request, message.data, definition.validate);
    if (!decoded.ok) {
      refuse(decoded.reason, decoded.violations[0]?.field ?? '', describeViolations(decoded.violations));
      return;
    }
    const tenant = definition.tenantOf(decoded.message);
    if (parts?.tenant !== tenant) {
      refuse('invalid', 'call.tenant', `tenant "${tenant}" does not match subject tenant "${parts?.tenant}"`);
      return;
    }
    const site = definition.siteOf?.(decoded.message);
    if (addressedTo !== undefined && site !== undefined && site !== addressedTo) {
      // Answered by the instance the header named, so the sender hears of its mistake.
      refuse('invalid', 'call.site', `site "${site}" does not match the ${SITE_HEADER} header "${addressedTo}"`);
      return;
    }

    const deadlineHeader = Number(message.headers?.get(DEADLINE_HEADER));
    const ctx: CommandContext = {
      subject: message.subject,
      tenant,
      deadline: Number.isFinite(deadlineHeader) && deadlineHeader > 0 ? deadlineHeader : undefined,
    };
    const tracer = trace.getTracer('@lianluo/messaging');
    const attributes = messagingSpanAttributes('process', message.subject, { consumerGroup: this.connection.options.queueGroup });
    const started = process.hrtime.bigint();
    await context.with(traceContextOf(message.headers), () =>
      tracer.startActiveSpan(`command ${definition.domain}.${definition.name}`, { kind: SpanKind.SERVER, attributes }, async (span) => {
        try {
          const result = await handler(decoded.message, ctx);
          reply({ case: 'ok', value: result });
          this.metrics.handled.inc({ ...labels, outcome: 'ok' });
        } catch (error) {
          if (error instanceof NotForThisInstance) {
            this.metrics.handled.inc({ ...labels, outcome: 'not_mine' });
            return;
          }
          const failure =
            error instanceof CommandFailure ? error : new CommandFailure(ErrorKind.INTERNAL, `unexpected error: ${(error as Error).message}`);
          if (!(error instanceof CommandFailure)) this.logger.error({ subject: message.subject, err: error }, 'command handler crashed');
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
          reply({ case: 'error', value: failure.toError() });
          this.metrics.handled.inc({ ...labels, outcome: ErrorKind[failure.kind]?.toLowerCase() ?? 'error' });
        } finally {
          span.end();
          this.metrics.handlerSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        }
      }),
    );
  }
}
