// Webhooks end to end: api replicas as processes on real NATS and PostgreSQL, acd's events
// published as acd would, and a local receiver that verifies what it gets as Standard
// Webhooks says, answers 500 when told to, and fails for good when told to.
import { WebhookReceiver, until } from '@lianluo/testing';
import { ApiTestbed } from './api-testbed';
import { AcdEventSource, WEBHOOK_TEST_ENV, deliveriesOf, subscribe, verifiedEvent } from './webhook-fixtures';

describe('webhooks', () => {
  let api: ApiTestbed;
  let receiver: WebhookReceiver;
  let acd: AcdEventSource;
  let admin: string;

  beforeAll(async () => {
    [api, receiver] = await Promise.all([ApiTestbed.start({ env: WEBHOOK_TEST_ENV }), WebhookReceiver.start()]);
    acd = await AcdEventSource.connect(api.namespace);
    admin = await api.accessTokenOf('admin');
  }, 120_000);

  afterAll(async () => {
    await acd?.close();
    await receiver?.stop();
    await api?.stop();
  });

  describe('subscriptions', () => {
    it('shows the signing secret when a subscription is made and never again; a rotation shows the new one once', async () => {
      const created = await api.request('POST', '/v1/tenants/acme/webhooks', admin, { url: `${receiver.url}/crm`, eventTypes: ['acd.contact_queued', 'call.*'], description: 'CRM' });
      expect(created.status).toBe(201);
      const subscription = (await created.json()) as { webhookId: string; secret: string; eventTypes: string[]; enabled: boolean };
      expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(subscription).toMatchObject({ eventTypes: ['acd.contact_queued', 'call.*'], enabled: true });

      const read = await (await api.request('GET', `/v1/tenants/acme/webhooks/${subscription.webhookId}`, admin)).json();
      expect(read).toMatchObject({ webhookId: subscription.webhookId, url: `${receiver.url}/crm`, description: 'CRM' });
      expect(JSON.stringify(read)).not.toContain(subscription.secret);
      const listed = (await (await api.request('GET', '/v1/tenants/acme/webhooks', admin)).json()) as { items: unknown[] };
      expect(JSON.stringify(listed)).not.toContain('whsec_');

      const rotated = (await (await api.request('POST', `/v1/tenants/acme/webhooks/${subscription.webhookId}/rotate-secret`, admin)).json()) as { secret: string; previousSecretExpiresAt: string };
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(subscription.secret);

      const changed = await api.request('PATCH', `/v1/tenants/acme/webhooks/${subscription.webhookId}`, admin, { enabled: false, eventTypes: ['ivr.*'] });
      expect(await changed.json()).toMatchObject({ enabled: false, eventTypes: ['ivr.*'], url: `${receiver.url}/crm` });
      expect((await api.request('DELETE', `/v1/tenants/acme/webhooks/${subscription.webhookId}`, admin)).status).toBe(204);
      expect((await api.request('GET', `/v1/tenants/acme/webhooks/${subscription.webhookId}`, admin)).status).toBe(404);

      // The audit log has every change, the subscription before and after, but never a secret.
      const audit = await (await api.request('GET', '/v1/tenants/acme/audit-log?action=/webhooks', admin)).text();
      for (const secret of [subscription.secret, rotated.secret]) expect(audit).not.toContain(secret);
      const entries = (JSON.parse(audit) as { items: { action: string; target: { webhookId?: string }; before: unknown }[] }).items.filter((entry) => entry.target.webhookId === subscription.webhookId);
      expect(entries.map((entry) => entry.action)).toEqual([
        'DELETE /v1/tenants/:tenant/webhooks/:webhookId',
        'PATCH /v1/tenants/:tenant/webhooks/:webhookId',
        'POST /v1/tenants/:tenant/webhooks/:webhookId/rotate-secret',
      ]);
      expect(entries[0]!.before).toMatchObject({ enabled: false, eventTypes: ['ivr.*'] });
    });

    it('refuses event types the contracts do not have, naming the field', async () => {
      const response = await api.request('POST', '/v1/tenants/acme/webhooks', admin, { url: `${receiver.url}/x`, eventTypes: ['acd.contact_queued', 'acd.contact_teleported'] });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { problems: { field: string }[] };
      expect(body.problems.map((problem) => problem.field)).toEqual(['body.eventTypes.1']);
    });

    it('refuses URLs at metadata, link-local, loopback or private addresses the operator has not allowed, and URLs with credentials', async () => {
      const refused: string[] = [];
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://127.0.0.2:8080/', 'http://10.0.0.1/', 'http://[::ffff:169.254.169.254]/', 'http://u:p@127.0.0.1/']) {
        const response = await api.request('POST', '/v1/tenants/acme/webhooks', admin, { url, eventTypes: ['acd.*'] });
        const body = (await response.json()) as { problems?: { field: string }[] };
        if (response.status !== 400 || body.problems?.[0]?.field !== 'body.url') refused.push(`${url}: ${response.status}`);
      }
      expect(refused).toEqual([]);
    });

    it("keeps each tenant's subscriptions to itself", async () => {
      const { webhookId } = await subscribe(api, `${receiver.url}/acme-only`, ['acd.*']);
      const globexAdmin = await api.accessTokenOf('admin', 'globex');
      expect((await api.request('GET', `/v1/tenants/globex/webhooks/${webhookId}`, globexAdmin)).status).toBe(404);
      const theirs = (await (await api.request('GET', '/v1/tenants/globex/webhooks', globexAdmin)).json()) as { items: unknown[] };
      expect(theirs.items).toEqual([]);
    });
  });

  it('sends the subscribed events as signed CloudEvents that the receiver verifies, and nothing else', async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/signed`, ['acd.contact_queued']);
    const ignored = await acd.agentStateChanged('acme', 'li');
    await acd.contactSteps('globex', 'c-other-tenant', 1);
    const [queued] = await acd.contactSteps('acme', 'c-signed', 2);
    await until('the queued contact is delivered', async () => (await deliveriesOf(api, webhookId)).some((d) => d.status === 'delivered'));

    const [request] = receiver.at('/signed');
    expect(request?.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    const event = verifiedEvent(request!, secret);
    expect(event).toMatchObject({ id: queued, type: 'acd.contact_queued', subject: 'contacts/c-signed', source: '/tenants/acme/acd', data: { tenant: 'acme', contact: { contactId: 'c-signed' } } });
    expect(() => verifiedEvent({ ...request!, body: request!.body.replace('c-signed', 'c-forged') }, secret)).toThrow();
    // The consumer takes acd's events in stream order: had the others matched, they would be in the log first.
    const log = await deliveriesOf(api, webhookId);
    expect(log.map((d) => d.eventId)).toEqual([queued]);
    expect(log.map((d) => d.eventId)).not.toContain(ignored);
  });

  it('signs with the new secret and, during the grace period, the rotated-out one too', async () => {
    const { webhookId, secret: old } = await subscribe(api, `${receiver.url}/rotated`, ['acd.contact_queued']);
    const rotation = await api.request('POST', `/v1/tenants/acme/webhooks/${webhookId}/rotate-secret`, admin);
    const { secret: current } = (await rotation.json()) as { secret: string };
    const [queued] = await acd.contactSteps('acme', 'c-rotated', 1);
    await until('the event is delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 1);

    const [request] = receiver.at('/rotated');
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifiedEvent(request!, current).id).toBe(queued);
    expect(verifiedEvent(request!, old).id).toBe(queued);
  });

  it('tries again after a 500, after the scheduled wait, and logs the 500 and then the success', async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/flaky`, ['acd.contact_queued']);
    receiver.answer('/flaky', (_request, earlier) => (earlier.length === 0 ? 500 : 204));
    const [queued] = await acd.contactSteps('acme', 'c-flaky', 1);
    await until('the retry is delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 1);

    const [first, second] = receiver.at('/flaky');
    expect([first?.status, second?.status]).toEqual([500, 204]);
    expect(verifiedEvent(second!, secret).id).toBe(queued);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    // The first wait of the schedule is 300 ms: the retry cannot come sooner.
    expect(second!.receivedAtMs - first!.receivedAtMs).toBeGreaterThanOrEqual(300);

    const [delivery] = await deliveriesOf(api, webhookId);
    const detail = (await (await api.request('GET', `/v1/tenants/acme/webhooks/${webhookId}/deliveries/${delivery!.deliveryId}`, admin)).json()) as { attempts: number; attemptLog: unknown[] };
    expect(detail.attempts).toBe(2);
    expect(detail.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 500, failure: 'http_status' }), expect.objectContaining({ attempt: 2, statusCode: 204, failure: null })]);
  });

  it('dead-letters a delivery whose every attempt fails, shows it to admins, and sends it again when an admin redelivers it', async () => {
    const { webhookId, secret } = await subscribe(api, `${receiver.url}/broken`, ['acd.contact_queued']);
    receiver.answer('/broken', () => 503);
    const [queued] = await acd.contactSteps('acme', 'c-broken', 1);
    await until('the delivery is a dead letter', async () => (await deliveriesOf(api, webhookId, undefined, 'dead-letters')).length === 1);

    const [dead] = await deliveriesOf(api, webhookId, undefined, 'dead-letters');
    expect(dead).toMatchObject({ eventId: queued, status: 'dead', attempts: 3, lastStatusCode: 503, lastFailure: 'http_status' });
    expect(receiver.at('/broken')).toHaveLength(3);
    const redeliver = `/v1/tenants/acme/webhooks/${webhookId}/deliveries/${dead!.deliveryId}/redeliver`;
    expect((await api.request('POST', redeliver, await api.accessTokenOf('supervisor'))).status).toBe(403);

    receiver.answer('/broken', () => 200);
    expect((await api.request('POST', redeliver, admin)).status).toBe(202);
    await until('the redelivery is delivered', async () => (await deliveriesOf(api, webhookId, 'delivered')).length === 1);
    expect(verifiedEvent(receiver.at('/broken')[3]!, secret).id).toBe(queued);
    expect(await deliveriesOf(api, webhookId, undefined, 'dead-letters')).toEqual([]);
    expect((await api.request('POST', redeliver, admin)).status).toBe(409);

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^lianluo_api_webhook_attempts_total\{outcome="dead",reason="http_status"[^}]*\} 1$/m);
  });
});
