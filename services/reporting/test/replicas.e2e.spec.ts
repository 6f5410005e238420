// Two reporting replicas (dist/main.js) started at the same moment on an empty database:
// one migrates while the other waits on the lock, both come up, and together they store
// every event once.
import 'reflect-metadata';
import { type ServiceProcess, ensureLocalInfra, uniqueNamespace, until } from '@lianluo/testing';
import { EventSource, TestDatabase, consumersDrained, reportingEnv, reportingProcess, sampleOf } from './reporting-harness';
import { scriptedDay, shuffled } from './scripted-day';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('rep');

describe('two reporting replicas starting together', () => {
  let database: TestDatabase;
  let source: EventSource;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    await ensureLocalInfra();
    database = await TestDatabase.create();
    source = await EventSource.connect(namespace);
    replicas = [reportingProcess(await reportingEnv(namespace, database)), reportingProcess(await reportingEnv(namespace, database))];
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await source?.close();
    await database?.drop();
  });

  it('both come up on an empty database, the schema migrated once', async () => {
    await Promise.all(replicas.map((replica) => replica.start()));
    const { rows } = await database.pool.query<{ name: string }>('SELECT name FROM reporting.pgmigrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(['1767225600000_event-store', '1767398400000_contact-phases', '1767484800000_contact-wrap-up']);
  });

  it('share the durable consumers: every event is stored by one of them, once', async () => {
    const day = scriptedDay(5, Date.UTC(2026, 10, 23), 40);
    const all = [...day.callEvents, ...day.acdEvents, ...day.ivrEvents, ...day.voicemailEvents];
    await source.publishAll(shuffled(all, 3), 4);
    await until('every event is stored', async () => (await consumersDrained(source.connection)) && (await database.count('SELECT count(*) FROM event')) === all.length, 60_000);

    expect(await database.count('SELECT count(*) FROM contact')).toBe(day.contacts.length);
    let stored = 0;
    for (const replica of replicas) {
      const metrics = await (await fetch(`${replica.url}/metrics`)).text();
      for (const domain of ['call', 'acd', 'ivr', 'voicemail']) stored += sampleOf(metrics, 'lianluo_reporting_events_recorded_total', { domain, outcome: 'stored' }) ?? 0;
    }
    expect(stored).toBe(all.length);
  });
});
