// Reporting as its own process (dist/main.js), killed with SIGKILL while it works through a
// backlog of call events and started again: every event ends up stored once, every contact
// record counts each of its events once.
import 'reflect-metadata';
import { type ServiceProcess, ensureLocalInfra, uniqueNamespace, until } from '@lianluo/testing';
import { EventSource, TestDatabase, consumerDrained, reportingEnv, reportingProcess } from './reporting-harness';
import { TENANT, scriptedDay, shuffled } from './scripted-day';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('rep');
const DAY = Date.UTC(2026, 10, 23);

describe('reporting killed mid-stream and restarted', () => {
  let database: TestDatabase;
  let source: EventSource;
  let reporting: ServiceProcess;

  beforeAll(async () => {
    await ensureLocalInfra();
    database = await TestDatabase.create();
    source = await EventSource.connect(namespace);
    // Events the killed process held come back after the ack wait: short, so the test is.
    reporting = reportingProcess(await reportingEnv(namespace, database, { EVENT_ACK_WAIT_MS: '1000' }));
  });

  afterAll(async () => {
    await reporting?.stop();
    await source?.close();
    await database?.drop();
  });

  it('loses no event and counts none twice', async () => {
    const day = scriptedDay(21, DAY, 400);
    const events = shuffled(day.callEvents, 5);
    const unique = events.length;
    const stored = () => database.count('SELECT count(*) FROM event');
    await reporting.start();

    // A backlog, one event in five published twice; killed once part of it is stored.
    for (const [i, event] of events.entries()) {
      await source.publisher.publish(event.definition, event.message as never);
      if (i % 5 === 0) await source.republish(event.definition, event.message, 'again');
    }
    await until('a part of the backlog is stored', async () => (await stored()) >= unique / 5);
    await reporting.kill();
    const storedAtKill = await stored();
    expect(storedAtKill).toBeLessThan(unique);

    await reporting.start();
    await until('the backlog is worked off', async () => (await consumerDrained(source.connection, 'call', 'reporting-call')) && (await stored()) === unique, 60_000);

    expect(await stored()).toBe(unique);
    const { rows } = await database.pool.query<{ contact_id: string; facts: number; outcome: string; started_at: Date; ended_at: Date }>(
      `SELECT contact_id, facts, outcome, started_at, ended_at FROM contact WHERE tenant = $1 ORDER BY contact_id`,
      [TENANT],
    );
    expect(rows).toHaveLength(day.contacts.length);
    // Every call event of the script says something about its call: each counted once.
    const factsPerCall = new Map<string, number>();
    for (const event of day.callEvents) {
      const id = (event.message as { call: { callId: string } }).call.callId;
      factsPerCall.set(id, (factsPerCall.get(id) ?? 0) + 1);
    }
    const truth = new Map(day.contacts.map((c) => [c.contactId, c]));
    for (const row of rows) {
      const contact = truth.get(row.contact_id);
      expect({ contact: row.contact_id, facts: row.facts, startedAt: row.started_at.getTime(), outcome: row.outcome }).toEqual({
        contact: row.contact_id,
        facts: factsPerCall.get(row.contact_id),
        startedAt: contact?.startedAtMs,
        // Without acd's events a call is answered when an agent leg answers, and otherwise simply over.
        outcome: contact?.fate === 'answered' ? 'answered' : 'completed',
      });
    }
    const metrics = await (await fetch(`${reporting.url}/metrics`)).text();
    expect(metrics).toMatch(/lianluo_reporting_events_recorded_total\{[^}]*domain="call"[^}]*outcome="stored"[^}]*\} \d+/);
  });
});
