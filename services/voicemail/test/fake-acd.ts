// A stand-in for acd on NATS: records the work items voicemail enqueues, refuses the queues
// it is told do not exist, and publishes overflows as acd's outbox relay does.
import { type MessageInitShape, create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AcdCommands, AcdEvents, type CallRef, Channel, ContactState, type EnqueueContact, ErrorKind } from '@lianluo/contracts';
import { CommandFailure, CommandServer, EventPublisher, MessagingConnection } from '@lianluo/messaging';

export class FakeAcd {
  readonly enqueued: EnqueueContact[] = [];
  private waiters: { match: (e: EnqueueContact) => boolean; resolve: (e: EnqueueContact) => void }[] = [];
  private server: CommandServer | undefined;

  private constructor(
    private readonly connection: MessagingConnection,
    private readonly missingQueues: ReadonlySet<string>,
  ) {}

  static async start(namespace: string, missingQueues: readonly string[] = []): Promise<FakeAcd> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'fake-acd', queueGroup: 'fake-acd' });
    const acd = new FakeAcd(connection, new Set(missingQueues));
    await acd.serve();
    return acd;
  }

  /** Answers enqueue_contact again (after `pause`). */
  async serve(): Promise<void> {
    this.server = new CommandServer(this.connection);
    this.server.serve(AcdCommands.enqueueContact, (request) => {
      if (this.missingQueues.has(request.contact?.queue ?? '')) throw new CommandFailure(ErrorKind.NOT_FOUND, `no queue ${request.contact?.queue}`, 'contact.queue');
      const duplicate = this.enqueued.some((e) => e.contact?.contactId === request.contact?.contactId);
      if (!duplicate) this.enqueued.push(request);
      this.waiters = this.waiters.filter((w) => (w.match(request) ? (w.resolve(request), false) : true));
      return { state: ContactState.WAITING, position: 1, duplicate } as never;
    });
    await this.connection.nc.flush();
  }

  /** Stops answering, as when every acd replica is away. */
  async pause(): Promise<void> {
    await this.server?.stop();
  }

  /** The work item enqueued for a voicemail message (received or still to come). */
  workItem(messageId: string): Promise<EnqueueContact> {
    const match = (e: EnqueueContact) => e.contact?.data.voicemail_message_id === messageId;
    const seen = this.enqueued.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** acd's contact_overflowed for a waiting call, sent to a voicemail mailbox. */
  async overflowToVoicemail(eventId: string, call: CallRef, queue: string, mailbox: string): Promise<void> {
    const event = create(AcdEvents.contactOverflowed.schema, {
      eventId,
      tenant: call.tenant,
      occurredAt: timestampNow(),
      contact: { contactId: `contact-${call.callId}`, queue, channel: Channel.VOICE, site: call.site, call },
      waitedMs: 90_000n,
      target: { case: 'voicemailMailbox', value: mailbox },
    } as MessageInitShape<typeof AcdEvents.contactOverflowed.schema>);
    await new EventPublisher(this.connection).publish(AcdEvents.contactOverflowed, event);
  }

  async close(): Promise<void> {
    await this.server?.stop();
    await this.connection.close();
  }
}
