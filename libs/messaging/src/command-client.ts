import { type DescMessage, type MessageShape, create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  type CommandDefinition,
  type CommandError,
  CommandErrorSchema,
  type CommandReplyShape,
  ErrorKind,
  type ResultOf,
} from '@lianluo/contracts';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { ErrorCode, type NatsError } from 'nats';
import { DEADLINE_HEADER } from './command-server';
import { describeViolations } from './message-codec';
import { type MessagingConnection } from './messaging-connection';
import { messagingSpanAttributes } from './messaging-span-attributes';
import { subjectOf } from './subjects';
import { headersWithTrace } from './trace-headers';
import { SITE_HEADER } from './command-server';

export type CommandOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: CommandError };

export interface RequestOptions {
  /** How long to wait for the reply. */
  readonly timeoutMs: number;
}

function failed(kind: ErrorKind, message: string, field = ''): { ok: false; error: CommandError } {
  return { ok: false, error: create(CommandErrorSchema, { kind, message, field }) };
}

/** Sends commands and returns their typed outcome; transport failures become typed errors too. */
export class CommandClient {
  constructor(private readonly connection: MessagingConnection) {}

  async request<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    request: MessageShape<Req>,
    options: RequestOptions,
  ): Promise<CommandOutcome<ResultOf<Rep>>> {
    const violations = definition.validate(request);
    if (violations.length > 0) {
      return failed(ErrorKind.INVALID_ARGUMENT, describeViolations(violations), violations[0]?.field);
    }
    const subject = subjectOf(this.connection.namespace, definition.tenantOf(request), definition.domain, 'command', definition.name);
    const tracer = trace.getTracer('@lianluo/messaging');
    const attributes = messagingSpanAttributes('send', subject);
    return tracer.startActiveSpan(`request ${definition.domain}.${definition.name}`, { kind: SpanKind.CLIENT, attributes }, async (span): Promise<CommandOutcome<ResultOf<Rep>>> => {
      try {
        const headers = headersWithTrace(context.active());
        headers.set(DEADLINE_HEADER, String(Date.now() + options.timeoutMs));
        const site = definition.siteOf?.(request);
        if (site) headers.set(SITE_HEADER, site);
        let data: Uint8Array;
        try {
          const reply = await this.connection.nc.request(subject, toBinary(definition.request, request), {
            timeout: options.timeoutMs,
            headers,
          });
          data = reply.data;
        } catch (error) {
          const code = (error as NatsError).code;
          if (code === ErrorCode.NoResponders) return failed(ErrorKind.UNAVAILABLE, `no service serves ${subject}`);
          if (code === ErrorCode.Timeout) return failed(ErrorKind.DEADLINE_EXCEEDED, `no reply to ${subject} within ${options.timeoutMs} ms`);
          return failed(ErrorKind.UNAVAILABLE, `request to ${subject} failed: ${(error as Error).message}`);
        }
        let decoded: CommandReplyShape<ResultOf<Rep>>;
        try {
          decoded = fromBinary(definition.reply, data) as unknown as CommandReplyShape<ResultOf<Rep>>;
        } catch (error) {
          return failed(ErrorKind.INTERNAL, `undecodable reply from ${subject}: ${(error as Error).message}`);
        }
        switch (decoded.outcome.case) {
          case 'ok':
            return { ok: true, value: decoded.outcome.value };
          case 'error':
            return { ok: false, error: decoded.outcome.value };
          default:
            return failed(ErrorKind.INTERNAL, `reply from ${subject} carries neither a result nor an error`);
        }
      } finally {
        span.end();
      }
    });
  }
}
