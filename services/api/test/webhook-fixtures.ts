// What the webhook e2e tests share: acd events to publish on the test bed's namespace, a
// subscription made through the api, its delivery log, and a receiver's view of a request
// verified as Standard Webhooks says.
import { type DescMessage, type MessageShape, create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AcdEvents, AgentStateChangedSchema, Channel, type EventDefinition, ContactAcceptedSchema, ContactCompletedSchema, ContactOfferedSchema, ContactQueuedSchema } from '@lianluo/contracts';
import { EventPublisher, MessagingConnection } from '@lianluo/messaging';
import { type ReceivedWebhook } from '@lianluo/testing';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { type ApiTestbed } from './api-testbed';

/** The api's environment for webhook tests: http to this host allowed, quick retries, quick polls. */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
  WEBHOOK_RETRY_DELAYS_MS: '300,100',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
};

/** Publishes acd events as acd would, in the test bed's namespace. */
export class AcdEventSource {
  private constructor(
    private readonly connection: MessagingConnection,
    private readonly publisher: EventPublisher,
  ) {}

  static async connect(namespace: string): Promise<AcdEventSource> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'webhook-test-acd', queueGroup: 'webhook-test-acd' });
    return new AcdEventSource(connection, new EventPublisher(connection));
  }

  /** A contact's way through acd, one event per step (queued, offered, accepted, completed): their event ids. */
  async contactSteps(tenant: string, contactId: string, steps = 4): Promise<string[]> {
    const contact = { contactId, queue: 'support', channel: Channel.EMAIL };
    const agent = { agentId: 'li', site: 'bj' };
    const events = [
      () => this.publish(AcdEvents.contactQueued, create(ContactQueuedSchema, { eventId: randomUUID(), tenant, occurredAt: timestampNow(), contact, position: 1 })),
      () => this.publish(AcdEvents.contactOffered, create(ContactOfferedSchema, { eventId: randomUUID(), tenant, occurredAt: timestampNow(), contact, agent, attempt: 1, deadline: timestampNow() })),
      () => this.publish(AcdEvents.contactAccepted, create(ContactAcceptedSchema, { eventId: randomUUID(), tenant, occurredAt: timestampNow(), contact, agent, attempt: 1 })),
      () => this.publish(AcdEvents.contactCompleted, create(ContactCompletedSchema, { eventId: randomUUID(), tenant, occurredAt: timestampNow(), contact, agent })),
    ];
    const ids: string[] = [];
    for (const step of events.slice(0, steps)) ids.push(await step());
    return ids;
  }

  async agentStateChanged(tenant: string, agentId: string): Promise<string> {
    return this.publish(AcdEvents.agentStateChanged, create(AgentStateChangedSchema, { eventId: randomUUID(), tenant, occurredAt: timestampNow(), agent: { agentId, site: 'bj' } }));
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private async publish<S extends DescMessage>(definition: EventDefinition<S>, message: MessageShape<S>): Promise<string> {
    await this.publisher.publish(definition, message);
    return definition.idOf(message);
  }
}

export interface Subscription {
  readonly webhookId: string;
  readonly secret: string;
}

/** Subscribes `url` through the api as the tenant's admin. */
export async function subscribe(api: ApiTestbed, url: string, eventTypes: string[], tenant: 'acme' | 'globex' = 'acme'): Promise<Subscription> {
  const response = await api.request('POST', `/v1/tenants/${tenant}/webhooks`, await api.accessTokenOf('admin', tenant), { url, eventTypes });
  if (response.status !== 201) throw new Error(`subscribing ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Subscription;
}

/** A delivery as the log lists it. */
export interface LoggedDelivery {
  deliveryId: string;
  eventId: string;
  eventType: string;
  subject: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatusCode: number | null;
  lastFailure: string | null;
}

/** Every delivery of a subscription in the log, oldest first, of one status or all. */
export async function deliveriesOf(api: ApiTestbed, webhookId: string, status?: string, route = 'deliveries'): Promise<LoggedDelivery[]> {
  const query = status ? `?status=${status}` : '';
  const response = await api.request('GET', `/v1/tenants/acme/webhooks/${webhookId}/${route}${query}`, await api.accessTokenOf('admin'));
  if (!response.ok) throw new Error(`the delivery log answered ${response.status}`);
  return ((await response.json()) as { items: LoggedDelivery[] }).items.reverse();
}

/** A CloudEvent as the receiver got it. */
export interface ReceivedCloudEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly source: string;
  readonly data: Record<string, unknown>;
}

/** The CloudEvent of a request, once its Standard Webhooks signature is verified with `secret` (throws otherwise). */
export function verifiedEvent(request: ReceivedWebhook, secret: string): ReceivedCloudEvent {
  return new Webhook(secret).verify(request.body, request.headers) as ReceivedCloudEvent;
}
