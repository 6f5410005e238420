// The outbox's claim under interleavings, against the real PostgreSQL: several workers claim
// at once, attempts end in any order with any outcome, and still no subject ever has two
// deliveries in hand and each subject's deliveries finish in the order they were put in.
import { migrate } from '@lianluo/postgres';
import { createTestDatabase, dropTestDatabase, endTestPool, TEST_POSTGRES_SERVER, uniqueNamespace } from '@lianluo/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { Pool } from 'pg';
import { type AttemptOutcome } from '../src/webhooks/webhook-delivery';
import { WebhookDeliveriesRepository } from '../src/webhooks/webhook-deliveries.repository';
import { WebhookOutbox } from '../src/webhooks/webhook-outbox';

const LEASE_MS = 60_000;

describe('the webhook outbox', () => {
  const database = uniqueNamespace('apioutbox');
  let pool: Pool;
  let outbox: WebhookOutbox;

  beforeAll(async () => {
    await createTestDatabase(database);
    pool = new Pool({ connectionString: `${TEST_POSTGRES_SERVER}/${database}`, max: 8, options: '-c search_path=api' });
    await migrate(pool, { dir: resolve(__dirname, '..', 'migrations'), schema: 'api' });
    outbox = new WebhookOutbox(pool);
  }, 60_000);

  afterAll(async () => {
    await endTestPool(pool);
    await dropTestDatabase(database);
  });

  /** A subscription of tenant acme, made `ageSeconds` ago. */
  async function subscription(eventTypes: string[], ageSeconds = 60): Promise<string> {
    const webhookId = randomUUID();
    await pool.query(
      `INSERT INTO webhook_subscription (webhook_id, tenant, url, event_types, secret, created_at) VALUES ($1, 'acme', 'https://crm.example.com/', $2, 'whsec_x', now() - make_interval(secs => $3))`,
      [webhookId, eventTypes, ageSeconds],
    );
    return webhookId;
  }

  const event = (subject: string, eventId = randomUUID()) => ({ tenant: 'acme', eventId, eventType: 'acd.contact_queued', subject, occurredAt: new Date(), body: JSON.stringify({ id: eventId, subject }) });
  const pendingOf = async (webhookId: string) => Number((await pool.query(`SELECT count(*) FROM webhook_delivery WHERE webhook_id = $1 AND status = 'pending'`, [webhookId])).rows[0].count);

  it('puts an event in once per subscription, however often it comes, and not for a subscription made after it', async () => {
    const early = await subscription(['acd.contact_queued']);
    const wildcard = await subscription(['acd.*']);
    await subscription(['call.*']);
    const late = await subscription(['acd.*'], -60);
    const queued = event('contacts/c-1');
    expect(await outbox.enqueue(queued)).toBe(2);
    expect(await outbox.enqueue(queued)).toBe(0);
    const { rows } = await pool.query<{ webhook_id: string }>(`SELECT webhook_id FROM webhook_delivery WHERE event_id = $1`, [queued.eventId]);
    expect(rows.map((row) => row.webhook_id).sort()).toEqual([early, wildcard].sort());
    expect(rows.map((row) => row.webhook_id)).not.toContain(late);
  });

  it('forgets finished deliveries past their retention, and never a pending one', async () => {
    await pool.query(`UPDATE webhook_subscription SET enabled = false`);
    const webhookId = await subscription(['acd.*']);
    for (const each of [event('contacts/p-1'), event('contacts/p-2'), event('contacts/p-3')]) await outbox.enqueue(each);
    await outbox.record((await outbox.claim(LEASE_MS))!, new Date(), 1, { kind: 'delivered', statusCode: 200 });
    await outbox.record((await outbox.claim(LEASE_MS))!, new Date(), 1, { kind: 'dead', failure: 'timeout' });
    await pool.query(`UPDATE webhook_delivery SET created_at = created_at - interval '15 days', finished_at = finished_at - interval '15 days' WHERE webhook_id = $1`, [webhookId]);
    expect(await outbox.purgeFinished(14)).toBe(2);
    expect(await pendingOf(webhookId)).toBe(1);
    expect(Number((await pool.query(`SELECT count(*) FROM webhook_delivery WHERE webhook_id = $1`, [webhookId])).rows[0].count)).toBe(1);
  });

  it("puts a redelivered dead letter before its subject's later deliveries, once the one in hand is done", async () => {
    await pool.query(`UPDATE webhook_subscription SET enabled = false`);
    const webhookId = await subscription(['acd.*']);
    const [first, second, third] = [event('contacts/r'), event('contacts/r'), event('contacts/r')];
    for (const each of [first, second, third]) await outbox.enqueue(each);
    const claimedId = (claimed: Awaited<ReturnType<WebhookOutbox['claim']>>) => claimed && (JSON.parse(claimed.body) as { id: string }).id;

    const dying = await outbox.claim(LEASE_MS);
    await outbox.record(dying!, new Date(), 1, { kind: 'dead', failure: 'timeout' });
    const inHand = await outbox.claim(LEASE_MS);
    expect(claimedId(inHand)).toBe(second.eventId);
    expect(await new WebhookDeliveriesRepository(pool).redeliver('acme', webhookId, dying!.deliveryId)).toBe('redelivering');
    expect(await outbox.claim(LEASE_MS)).toBeUndefined();
    await outbox.record(inHand!, new Date(), 1, { kind: 'delivered', statusCode: 204 });
    const again = await outbox.claim(LEASE_MS);
    expect([claimedId(again), again?.attempt]).toEqual([first.eventId, 1]);
    expect(await outbox.claim(LEASE_MS)).toBeUndefined();
  });

  it("never has two of a subject's deliveries in hand, and finishes them in order, whatever the workers and outcomes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('contacts/a', 'contacts/b', 'agents/li'), { minLength: 1, maxLength: 12 }),
        fc.infiniteStream(fc.constantFrom<AttemptOutcome['kind']>('delivered', 'retry', 'dead')),
        fc.integer({ min: 1, max: 4 }),
        async (subjects, outcomes, workers) => {
          // Only this run's subscription takes events and has deliveries to claim.
          await pool.query(`UPDATE webhook_subscription SET enabled = false`);
          const webhookId = await subscription(['acd.*']);
          const events = subjects.map((subject) => event(subject));
          for (const each of events) await outbox.enqueue(each);
          const inHand = new Set<string>();
          const finished: { subject: string; eventId: string }[] = [];
          const problems: string[] = [];
          const work = async () => {
            while ((await pendingOf(webhookId)) > 0) {
              const claimed = await outbox.claim(LEASE_MS);
              if (!claimed) {
                await turn();
                continue;
              }
              const { id, subject } = JSON.parse(claimed.body) as { id: string; subject: string };
              if (inHand.has(subject)) problems.push(`${subject} had two deliveries in hand`);
              inHand.add(subject);
              await turn();
              const kind = claimed.attempt >= 3 ? 'delivered' : outcomes.next().value;
              const outcome: AttemptOutcome = kind === 'delivered' ? { kind, statusCode: 204 } : kind === 'retry' ? { kind, retryInMs: 0, failure: 'http_status', statusCode: 500 } : { kind, failure: 'timeout' };
              inHand.delete(subject);
              if (kind !== 'retry') finished.push({ subject, eventId: id });
              await outbox.record(claimed, new Date(), 1, outcome);
            }
          };
          await Promise.all(Array.from({ length: workers }, work));
          expect(problems).toEqual([]);
          for (const subject of new Set(subjects)) {
            expect(finished.filter((f) => f.subject === subject).map((f) => f.eventId)).toEqual(events.filter((e) => e.subject === subject).map((e) => e.eventId));
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
