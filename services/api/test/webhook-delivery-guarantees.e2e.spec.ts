// What webhook receivers may count on when replicas share the work and die: one contact's
// events one at a time and in order, nothing twice when JetStream delivers events again, and
// an attempt a replica died in made again by another under the same webhook-id.
import { MessagingConnection, streamNameOf } from '@lianluo/messaging';
import { type ReceivedWebhook, WebhookReceiver, until } from '@lianluo/testing';
import { WEBHOOK_CONSUMERS } from '../src/webhooks/webhook-consumers';
import { ApiTestbed } from './api-testbed';
import { AcdEventSource, WEBHOOK_TEST_ENV, deliveriesOf, subscribe, verifiedEvent } from './webhook-fixtures';

const subjectOf = (request: ReceivedWebhook) => (JSON.parse(request.body) as { subject: string }).subject;

describe('webhook delivery across replicas', () => {
  let api: ApiTestbed;
  let receiver: WebhookReceiver;
  let acd: AcdEventSource;
  let firstPort: number;

  beforeAll(async () => {
    [api, receiver] = await Promise.all([ApiTestbed.start({ env: WEBHOOK_TEST_ENV }), WebhookReceiver.start()]);
    await api.startReplica();
    firstPort = Number(new URL(api.url).port);
    acd = await AcdEventSource.connect(api.namespace);
  }, 120_000);

  afterAll(async () => {
    await acd?.close();
    await receiver?.stop();
    await api?.stop();
  });

  /** Ends every running replica: at once (SIGKILL), or letting it shut down (SIGTERM). */
  async function endReplicas(end: 'kill' | 'stop'): Promise<void> {
    for (const replica of api.replicas) await replica[end]();
  }

  /** A replica where the first one was, so api.url and the tokens it issued keep working. */
  const startReplica = () => api.startReplica(firstPort);

  it("sends one contact's events one at a time and in order, across two replicas and a retry", async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/ordered`, ['acd.*']);
    const inHand = new Map<string, number>();
    let overlaps = 0;
    receiver.answer('/ordered', async (request, earlier) => {
      const subject = subjectOf(request);
      inHand.set(subject, (inHand.get(subject) ?? 0) + 1);
      if (inHand.get(subject)! > 1) overlaps++;
      // A receiver that takes its time, so that a second attempt of the same contact sent meanwhile would overlap.
      await new Promise((resolve) => setTimeout(resolve, 20));
      inHand.set(subject, inHand.get(subject)! - 1);
      // Each contact's first event fails once: its retry must still come before the contact's later events.
      return earlier.some((other) => subjectOf(other) === subject) ? 204 : 500;
    });
    const contacts = ['o-1', 'o-2', 'o-3'];
    const published = await Promise.all(contacts.map((contact) => acd.contactSteps('acme', contact)));
    await until('every event is delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 12);

    expect(overlaps).toBe(0);
    contacts.forEach((contact, i) => {
      const ids = receiver.at('/ordered').filter((request) => subjectOf(request) === `contacts/${contact}`).map((request) => verifiedEvent(request, secret).id);
      const [first, ...later] = published[i]!;
      expect(ids).toEqual([first, first, ...later]);
    });
  }, 30_000);

  it('sends nothing twice when JetStream delivers every event again', async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/replayed`, ['acd.contact_queued']);
    const before = [...(await acd.contactSteps('acme', 'r-1', 1)), ...(await acd.contactSteps('acme', 'r-2', 1))];
    await until('both are delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 2);

    // Without its durable consumer the stream is consumed again from its first event, as after losing the consumer's state.
    await endReplicas('stop');
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: api.namespace, connectionName: 'webhook-test', queueGroup: 'webhook-test' });
    try {
      await connection.jsm.consumers.delete(streamNameOf(api.namespace, 'acd'), WEBHOOK_CONSUMERS.acd);
    } finally {
      await connection.close();
    }
    await startReplica();
    // The consumer is ordered: once this one is delivered, every replayed event before it has been handled.
    const [marker] = await acd.contactSteps('acme', 'r-3', 1);
    await until('the marker is delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).some((delivery) => delivery.eventId === marker));

    // Two contacts: their events may come in either order, but each exactly once.
    expect(receiver.at('/replayed').map((request) => verifiedEvent(request, secret).id).sort()).toEqual([...before, marker].sort());
    expect(await deliveriesOf(api, webhookId)).toHaveLength(3);
  }, 60_000);

  it('leaves an attempt a replica died in to another, which makes it again under the same webhook-id', async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/hanging`, ['acd.contact_queued']);
    receiver.answer('/hanging', (_request, earlier) => (earlier.length === 0 ? new Promise<number>(() => undefined) : 204));
    const [queued] = await acd.contactSteps('acme', 'k-1', 1);
    await until('the first attempt is in hand', async () => receiver.at('/hanging').length === 1);

    await endReplicas('kill');
    await startReplica();
    await until('another replica delivers it', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 1);

    const [died, again] = receiver.at('/hanging');
    expect(died?.status).toBeUndefined();
    expect(again?.headers['webhook-id']).toBe(died?.headers['webhook-id']);
    expect(verifiedEvent(again!, secret).id).toBe(queued);
    const [delivery] = await deliveriesOf(api, webhookId);
    expect(delivery).toMatchObject({ eventId: queued, status: 'delivered', attempts: 2 });
  }, 60_000);
});
