import { type MessagingConnection } from '@lianluo/messaging';
import { type JsMsg } from 'nats';
import { tenantEventFilter } from './tenant-feed';

/**
 * Reads a tenant's events of one domain stored after `afterSeq`, in stream order, up to the
 * last one stored when the read began, handing each to `take` (awaited: a slow client slows
 * the read, not the replica), until it answers false. A short-lived ordered consumer of its
 * own; deleted at the end.
 */
export async function replayEvents(
  connection: MessagingConnection,
  tenant: string,
  domain: string,
  afterSeq: number,
  take: (message: JsMsg) => boolean | Promise<boolean>,
): Promise<void> {
  const stream = await connection.ensureStream(domain);
  const consumer = await connection.js.consumers.get(stream, { filterSubjects: tenantEventFilter(connection.namespace, tenant, domain), opt_start_seq: afterSeq + 1 });
  const messages = await consumer.consume({ max_messages: 256 });
  try {
    // What was pending when the consumer was created is the whole replay; later events come live.
    if ((await consumer.info(true)).num_pending === 0) return;
    for await (const message of messages) {
      if (!(await take(message)) || message.info.pending === 0) return;
    }
    throw new Error(`the replay of ${domain} events of ${tenant} ended before its last event`);
  } finally {
    await messages.close();
    await consumer.delete().catch(() => false);
  }
}
