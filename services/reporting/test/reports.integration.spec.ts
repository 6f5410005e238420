// The must-show test of the reports: a scripted day of calls told by every domain (call,
// acd, ivr and voicemail events, with redeliveries and arrival in any order; abandons,
// overflows and voicemail choices, ring-no-answer, wrap-ups ended early and late) goes
// through real NATS JetStream into PostgreSQL, and the contact records, agent intervals and
// reports give exactly the figures computed from what happened.
import 'reflect-metadata';
import { fetchAsApi, probeServiceIdentity, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { EventSource, ReportingTestBed, TestDatabase, consumersDrained } from './reporting-harness';
import { type ContactTruth, type ScriptedDay, TENANT, aniOf, expectedAgentStates, expectedFigures, scriptedDay, shuffled } from './scripted-day';

jest.setTimeout(90_000);

const namespace = uniqueNamespace('rep');
const DAY = Date.UTC(2026, 10, 23);
const CONTACTS = 300;

type Figures = ReturnType<typeof expectedFigures>;

function expectFigures(actual: Record<string, unknown> | undefined, expected: Figures): void {
  expect(actual).toBeDefined();
  for (const [name, value] of Object.entries(expected)) {
    if (value === null || Number.isInteger(value)) expect({ [name]: actual?.[name] }).toEqual({ [name]: value });
    else expect({ [name]: actual?.[name] }).toEqual({ [name]: expect.closeTo(value, 9) });
  }
}

function groupBy<K>(contacts: readonly ContactTruth[], key: (c: ContactTruth) => K): Map<K, ContactTruth[]> {
  const groups = new Map<K, ContactTruth[]>();
  for (const contact of contacts) groups.set(key(contact), [...(groups.get(key(contact)) ?? []), contact]);
  return groups;
}

describe('reports over a scripted day', () => {
  let bed: ReportingTestBed;
  let database: TestDatabase;
  let source: EventSource;
  let app: INestApplication;
  let baseUrl: string;
  let day: ScriptedDay;
  const period = `tenant=${TENANT}&from=${new Date(DAY).toISOString()}&to=${new Date(DAY + 86_400_000).toISOString()}`;
  const get = async (path: string) => fetchAsApi('reporting', `${baseUrl}${path}`);
  const json = async (path: string) => {
    const response = await get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return (await response.json()) as { items: Record<string, unknown>[]; nextPage: number | null };
  };

  beforeAll(async () => {
    bed = await ReportingTestBed.start(namespace);
    ({ database, source, app } = bed);
    baseUrl = await app.getUrl();
    day = scriptedDay(7, DAY, CONTACTS);

    // Every domain's events arrive in any order, interleaved, one in ten twice more; each
    // domain's consumer works on the same contacts and agents at the same time.
    const all = [...day.callEvents, ...day.acdEvents, ...day.ivrEvents, ...day.voicemailEvents];
    await source.publishAll(shuffled(all, 11), 10);
    await until('every event is stored', async () => (await consumersDrained(source.connection)) && (await database.count('SELECT count(*) FROM event')) === all.length, 60_000);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('stores each event once and makes one record per contact', async () => {
    expect(await database.count('SELECT count(*) FROM event')).toBe(day.callEvents.length + day.acdEvents.length + day.ivrEvents.length + day.voicemailEvents.length);
    expect(await database.count('SELECT count(*) FROM contact')).toBe(CONTACTS);
  });

  it('gives each contact one record with its IVR, queue, agent, talk, wrap-up and voicemail phases', async () => {
    const { rows } = await database.pool.query(
      `SELECT contact_id, outcome, queue, agent_id, ivr_flow, ivr_outcome, ivr_menu_path, queued_at, wait_seconds, talk_seconds, wrap_up_seconds,
              handle_seconds, ring_no_answers, offers, queue_choice, voicemail_message_id
         FROM contact ORDER BY contact_id`,
    );
    const records = new Map(rows.map((row) => [row.contact_id as string, row]));
    for (const c of day.contacts) {
      const queued = c.queue !== undefined;
      const answered = c.fate === 'answered';
      expect(records.get(c.contactId)).toEqual({
        contact_id: c.contactId,
        outcome: queued ? c.fate : 'completed',
        queue: c.queue ?? null,
        agent_id: c.agent?.id ?? null,
        ivr_flow: 'main',
        ivr_outcome: queued ? 'queued' : 'hung-up',
        ivr_menu_path: `main_menu:${c.menuKey}`,
        queued_at: queued ? new Date(c.queuedAtMs as number) : null,
        wait_seconds: queued ? expect.closeTo((c.waitMs as number) / 1000, 9) : null,
        talk_seconds: answered ? expect.closeTo((c.talkMs as number) / 1000, 9) : null,
        wrap_up_seconds: answered ? expect.closeTo((c.wrapUpMs as number) / 1000, 9) : null,
        handle_seconds: answered ? expect.closeTo((c.handleMs as number) / 1000, 9) : null,
        ring_no_answers: c.ringNoAnswer ? 1 : 0,
        offers: answered ? (c.ringNoAnswer ? 2 : 1) : 0,
        queue_choice: c.fate === 'withdrawn' ? 'voicemail' : null,
        voicemail_message_id: c.messageId ?? null,
      });
    }
  });

  it('keeps each agent’s state intervals a chain, with the seconds in each state the contacts took', async () => {
    const { items } = await json(`/reports/agent-states?${period}&pageSize=1000`);
    const expected = expectedAgentStates(day.contacts);
    expect(items.map((item) => item.agent)).toEqual(expected.map((agent) => agent.agent));
    for (const agent of expected) {
      const item = items.find((i) => i.agent === agent.agent);
      for (const [field, value] of Object.entries(agent)) expect({ agent: agent.agent, [field]: item?.[field] }).toEqual({ agent: agent.agent, [field]: typeof value === 'number' ? expect.closeTo(value, 6) : value });
    }
    // Each interval ends where the agent's next one starts: no gap, no overlap.
    expect(
      await database.count(
        `SELECT count(*) FROM agent_state_interval i WHERE ended_at IS DISTINCT FROM
           (SELECT min(started_at) FROM agent_state_interval n WHERE n.tenant = i.tenant AND n.agent_id = i.agent_id AND (n.started_at, n.event_id) > (i.started_at, i.event_id))`,
      ),
    ).toBe(0);
  });

  it.each([20, 45])('reports the SL, ASA, AHT and abandon figures of the day at a %i s threshold', async (threshold) => {
    const { items } = await json(`/reports/performance?${period}&serviceLevelSeconds=${threshold}`);
    expect(items).toHaveLength(1);
    expectFigures(items[0], expectedFigures(day.contacts, threshold));
  });

  it('reports them per queue, per site and per agent', async () => {
    for (const [dimension, key] of [
      ['queue', (c: ContactTruth) => c.queue ?? null],
      ['site', (c: ContactTruth) => c.site],
      ['agent', (c: ContactTruth) => c.agent?.id ?? null],
    ] as const) {
      const { items } = await json(`/reports/performance?${period}&groupBy=${dimension}&pageSize=1000`);
      const expected = groupBy(day.contacts, key);
      expect(items.map((item) => item[dimension]).sort()).toEqual([...expected.keys()].sort());
      for (const [value, contacts] of expected) expectFigures(items.find((item) => item[dimension] === value), expectedFigures(contacts, 20));
    }
  });

  it('reports them per queue and 15-minute interval, by the interval a contact was queued in', async () => {
    const { items } = await json(`/reports/performance?${period}&groupBy=queue,interval&interval=15m&queue=sales&pageSize=1000`);
    const sales = day.contacts.filter((c) => c.queue === 'sales');
    const expected = groupBy(sales, (c) => new Date(Math.floor((c.queuedAtMs as number) / 900_000) * 900_000).toISOString());
    expect(items).toHaveLength(expected.size);
    for (const [intervalStart, contacts] of expected) expectFigures(items.find((item) => item.intervalStart === intervalStart), expectedFigures(contacts, 20));
  });

  it('keeps 15-minute and daily queue rows that add up to the same figures', async () => {
    for (const granularity of ['15m', '1d']) {
      const rows: Record<string, unknown>[] = [];
      for (let page: number | null = 1; page !== null; ) {
        const result = await json(`/reports/queue-intervals?${period}&granularity=${granularity}&pageSize=50&page=${page}`);
        rows.push(...result.items);
        page = result.nextPage;
      }
      for (const [queue, contacts] of groupBy(day.contacts.filter((c) => c.queue), (c) => c.queue)) {
        const expected = expectedFigures(contacts, 20);
        const ofQueue = rows.filter((row) => row.queue === queue);
        const sum = (field: string) => ofQueue.reduce((total, row) => total + (row[field] as number), 0);
        expect({ queue, granularity, offered: sum('offered'), answered: sum('answered'), abandoned: sum('abandoned') }).toEqual({
          queue,
          granularity,
          offered: expected.offered,
          answered: expected.answered,
          abandoned: expected.abandoned,
        });
        if (granularity === '1d') {
          // One daily row per queue, channel and site: compare each with its own contacts.
          for (const [site, ofSite] of groupBy(contacts, (c) => c.site)) {
            const row = ofQueue.find((r) => r.site === site) as Record<string, unknown>;
            const bySite = expectedFigures(ofSite, 20);
            expect(row.serviceLevel20s).toBeCloseTo(bySite.serviceLevel as number, 9);
            expect(row.asaSeconds).toBeCloseTo(bySite.asaSeconds as number, 9);
            expect(row.ahtSeconds).toBeCloseTo(bySite.ahtSeconds as number, 9);
            expect(row.averageAbandonSeconds).toBeCloseTo(bySite.averageAbandonSeconds as number, 9);
          }
        }
      }
    }
  });

  it('serves the same figures as CSV', async () => {
    const response = await get(`/reports/performance?${period}&groupBy=queue&format=csv`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await response.text()).trim().split('\r\n');
    expect(header).toBe('queue,contacts,offered,answered,answeredWithinThreshold,serviceLevel,asaSeconds,ahtSeconds,abandoned,abandonRate,averageAbandonSeconds,overflowed,withdrawn');
    const sales = lines.map((line) => line.split(',')).find((fields) => fields[0] === 'sales') as string[];
    const expected = expectedFigures(day.contacts.filter((c) => c.queue === 'sales'), 20);
    expect(sales.slice(1, 5).map(Number)).toEqual([expected.contacts, expected.offered, expected.answered, expected.answeredWithinThreshold]);
    expect(Number(sales[5])).toBeCloseTo(expected.serviceLevel as number, 9);
  });

  it('pages through a large result', async () => {
    const all = await json(`/reports/performance?${period}&groupBy=interval&interval=15m&pageSize=1000`);
    const paged: Record<string, unknown>[] = [];
    let pages = 0;
    for (let page: number | null = 1; page !== null; pages++) {
      const response = await get(`/reports/performance?${period}&groupBy=interval&interval=15m&pageSize=7&page=${page}`);
      const body = (await response.json()) as { items: Record<string, unknown>[]; nextPage: number | null };
      expect(response.headers.get('x-next-page')).toBe(body.nextPage === null ? null : String(body.nextPage));
      paged.push(...body.items);
      page = body.nextPage;
    }
    expect(pages).toBe(Math.ceil(all.items.length / 7));
    expect(paged).toEqual(all.items);
  });

  it('lists a customer’s interactions newest first, by customer id or calling number', async () => {
    const customer = day.contacts[0] as ContactTruth;
    const ofCustomer = day.contacts.filter((c) => c.customerId === customer.customerId);
    const byNumber = await json(`/customers/${aniOf(customer.customerId)}/interactions?tenant=${TENANT}&pageSize=1000`);
    expect(byNumber.items.map((item) => item.contactId).sort()).toEqual(ofCustomer.map((c) => c.contactId).sort());
    // acd names the customer of a queued contact; one that never queued is known by its number only.
    const byId = await json(`/customers/${customer.customerId}/interactions?tenant=${TENANT}&pageSize=1000`);
    expect(byId.items.map((item) => item.contactId).sort()).toEqual(ofCustomer.filter((c) => c.queue).map((c) => c.contactId).sort());
    const times = byNumber.items.map((item) => Date.parse((item.queuedAt ?? item.startedAt) as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it.each([
    ['from=2026-11-23T00:00:00Z', 'tenant', 'is required'],
    [`tenant=${TENANT}&from=yesterday&to=2026-11-24T00:00:00Z`, 'from', 'ISO 8601'],
    [`tenant=${TENANT}&from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z`, 'to', 'must be after from'],
    [`${period}&groupBy=queue,weather`, 'groupBy.1', 'must be among'],
    [`${period}&serviceLevelSeconds=0`, 'serviceLevelSeconds', 'at least 1'],
    [`${period}&pageSize=5000`, 'pageSize', 'at most 1000'],
    [`${period}&format=xml`, 'format', 'json or csv'],
  ])('refuses %s with 400 naming %s', async (query, field, reason) => {
    const response = await get(`/reports/performance?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: { field: string; reason: string }[] };
    expect(body.problems).toEqual(expect.arrayContaining([{ field, reason: expect.stringContaining(reason) }]));
  });

  it('answers 401 on every report to requests without a valid token of api’s for reporting', async () => {
    const routes = [
      { method: 'GET', path: `/reports/performance?${period}` },
      { method: 'GET', path: `/reports/agent-states?${period}` },
      { method: 'GET', path: `/reports/queue-intervals?${period}` },
      { method: 'GET', path: `/customers/cust-1/interactions?tenant=${TENANT}` },
    ] as const;
    const answers = await probeServiceIdentity(baseUrl, 'reporting', routes);
    expect(answers).toHaveLength(routes.length * 4);
    expect(answers).toEqual(answers.map((answer) => ({ ...answer, status: 401, body: { error: 'unauthorized', message: expect.any(String) } })));
  });

  it('describes every report in OpenAPI, parameters included, with the bearer token they need', async () => {
    const response = await fetch(`${baseUrl}/api-docs/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, { get: { parameters: { name: string }[]; security?: unknown } }>; components: { securitySchemes?: Record<string, unknown> } };
    expect(document.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(document.paths['/reports/performance']?.get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/reports/performance', '/reports/agent-states', '/reports/queue-intervals', '/customers/{customer}/interactions']),
    );
    expect(document.paths['/reports/performance']?.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['tenant', 'from', 'to', 'groupBy', 'interval', 'serviceLevelSeconds', 'format', 'page', 'pageSize']),
    );
  });
});
