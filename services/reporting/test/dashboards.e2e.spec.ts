// The dashboard test: a real Prometheus (Debian's) scrapes the running stack — reporting and
// a media gateway as processes, both Asterisks (res_prometheus), Redis through its exporter —
// while a real SIPp call goes through. Every panel query of every dashboard in
// deploy/grafana/dashboards must return data and name only metrics something exports.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { AgentState, AnswerCallSchema, CallCommands, CallEvents, type CallRef, CancelReason, type EventDefinition } from '@lianluo/contracts';
import { CommandClient, EventConsumer, subjectOf } from '@lianluo/messaging';
import { type PrometheusServer, ServiceProcess, type Sites, ensureLocalInfra, freePort, runSipp, startPrometheus, startRedisExporter, startSites, uniqueNamespace, until } from '@lianluo/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QUARTER_HOUR_MS, quarterHourStart } from '../src/intervals/interval-start';
import { type DashboardPanel, panelQueries, unknownMetrics, withVariables } from './promql-metric-names';
import { EventSource, TestDatabase, reportingEnv, reportingProcess } from './reporting-harness';
import { type AcdContact, acdEvent, agentStateEvent } from './scripted-events';

const SETUP_TIMEOUT_MS = 120_000;
jest.setTimeout(SETUP_TIMEOUT_MS);

// The interval gauges (service level, abandon ratio, offered) cover the current quarter
// hour. The scripted contacts below are queued up to 30 s before the suite's start, and
// the suite takes about 70 s: all of it must fall in one quarter hour, or those gauges'
// panels come back empty. So a start less than 35 s after a boundary, or less than 150 s
// before one, waits until 35 s after it.
const SCRIPTED_PAST_MS = 35_000;
const BOUNDARY_SPAN_MS = 150_000;
async function clearOfQuarterHourBoundary(): Promise<void> {
  const now = Date.now();
  const quarter = quarterHourStart(now);
  const next = quarter + QUARTER_HOUR_MS;
  const startAt = now < quarter + SCRIPTED_PAST_MS ? quarter + SCRIPTED_PAST_MS : next - now < BOUNDARY_SPAN_MS ? next + SCRIPTED_PAST_MS : now;
  if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
}

const namespace = uniqueNamespace('rep');
const DASHBOARDS_DIR = resolve(__dirname, '..', '..', '..', 'deploy', 'grafana', 'dashboards');
const MEDIA_GATEWAY_MAIN = resolve(__dirname, '..', '..', 'media-gateway', 'dist', 'main.js');
const dashboards = readdirSync(DASHBOARDS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as { title: string; panels: DashboardPanel[] } }));

describe('Grafana dashboards against a real Prometheus scraping the stack', () => {
  let sites: Sites;
  let database: TestDatabase;
  let source: EventSource;
  let reporting: ServiceProcess;
  let gateway: ServiceProcess;
  let redisExporter: Awaited<ReturnType<typeof startRedisExporter>>;
  let prometheus: PrometheusServer;
  let ivr: EventConsumer;
  let call: CallRef;

  beforeAll(async () => {
    await clearOfQuarterHourBoundary();
    await ensureLocalInfra();
    [sites, database, source, redisExporter] = await Promise.all([startSites(), TestDatabase.create(), EventSource.connect(namespace), startRedisExporter()]);
    reporting = reportingProcess(await reportingEnv(namespace, database));
    gateway = new ServiceProcess(MEDIA_GATEWAY_MAIN, {
        SITE: 'bj',
        ARI_URL: sites.bj.ariUrl,
        ARI_USER: sites.bj.ariUser,
        ARI_PASSWORD: sites.bj.ariPassword,
        ARI_APP: sites.bj.site.stasisApp,
        NATS_NAMESPACE: namespace,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(await freePort()),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      });
    await Promise.all([reporting.start(), gateway.start()]);
    const asterisk = (site: 'bj' | 'sz') => ({ job: `asterisk-${site}`, targets: [new URL(sites[site].ariUrl).host], labels: { site } });
    prometheus = await startPrometheus([
      { job: 'reporting', targets: [`127.0.0.1:${reporting.env.HTTP_PORT}`] },
      { job: 'media-gateway', targets: [`127.0.0.1:${gateway.env.HTTP_PORT}`] },
      asterisk('bj'),
      asterisk('sz'),
      { job: 'redis', targets: [redisExporter.target] },
    ]);

    // acd's part, published as acd does: queued contacts and agents at both sites, now.
    const now = Date.now();
    const contact = (contactId: string): AcdContact => ({ tenant: 'demo', site: 'bj', contactId, queue: 'sales' });
    const a1 = { agentId: 'a-1', site: 'bj' };
    await source.publishAll([
      agentStateEvent('demo', { id: 'a-1', site: 'bj' }, now - 60_000, AgentState.BUSY, AgentState.RESERVED),
      agentStateEvent('demo', { id: 'a-2', site: 'sz' }, now - 60_000, AgentState.READY, AgentState.NOT_READY),
      acdEvent('contactQueued', contact('q-1'), now - 30_000),
      acdEvent('contactAccepted', contact('q-1'), now - 25_000, { agent: a1, attempt: 1 }),
      acdEvent('contactQueued', contact('q-2'), now - 20_000),
      acdEvent('contactAbandoned', contact('q-2'), now - 10_000, { reason: CancelReason.ABANDONED }),
      acdEvent('contactQueued', contact('q-3'), now - 5_000),
    ]);
    await until('acd’s events are projected', async () => (await database.count(`SELECT count(*) FROM contact WHERE contact_id LIKE 'q-%'`)) === 3);

    // A real call: SIPp calls site bj, a stand-in IVR answers it, SIPp hangs up.
    const client = new CommandClient(source.connection);
    ivr = new EventConsumer(source.connection, {
      durable: 'dashboard-ivr',
      definitions: [CallEvents.started as unknown as EventDefinition],
      handler: async (message) => {
        call = (message as unknown as { call: CallRef }).call;
        await client.request(CallCommands.answer, create(AnswerCallSchema, { commandId: `${call.callId}:answer`, call }), { timeoutMs: 10_000 });
      },
    });
    await ivr.start();
    const sipp = await runSipp({ scenario: 'uac-simple.xml', target: sites.bj.sipTarget, service: '4001', values: { hangup_after_ms: 500 }, timeoutMs: 30_000 });
    expect({ exitCode: sipp.exitCode, errors: sipp.errors }).toEqual({ exitCode: 0, errors: '' });
    // And a malformed event, so the error panels have something to show.
    await source.connection.js.publish(subjectOf(namespace, 'demo', 'call', 'event', 'started'), new Uint8Array([0xff, 0xff]), { msgID: 'malformed-1' });
    await until('the call is a contact record with its end', async () => call !== undefined && (await database.count(`SELECT count(*) FROM contact WHERE contact_id = $1 AND ended_at IS NOT NULL`, [call.callId])) === 1);
    await prometheus.targetsUp();
  }, SETUP_TIMEOUT_MS + BOUNDARY_SPAN_MS + SCRIPTED_PAST_MS);

  afterAll(async () => {
    await ivr?.stop();
    await prometheus?.stop();
    await Promise.all([reporting?.stop(), gateway?.stop(), redisExporter?.stop()]);
    await source?.close();
    await database?.drop();
    await sites?.remove();
  });

  it('stores the real call as a contact record with its phases', async () => {
    const { rows } = await database.pool.query(`SELECT site, ani, dnis, outcome, started_at < answered_at AND answered_at < ended_at AS ordered, facts FROM contact WHERE contact_id = $1`, [
      call.callId,
    ]);
    expect(rows).toEqual([{ site: 'bj', ani: '13800138000', dnis: '4001', outcome: 'completed', ordered: true, facts: 3 }]);
  });

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))('%s: every panel query returns data', async (_file, dashboard) => {
    const empty = new Map(panelQueries(dashboard).map((query) => [`${query.panel}: ${query.expr}`, withVariables(query.expr)]));
    // Rates need two scrapes: ask again until each query answers, for a bounded time.
    const deadline = Date.now() + 30_000;
    while (empty.size > 0 && Date.now() < deadline) {
      for (const [name, expr] of empty) {
        const answer = await prometheus.query(expr);
        expect({ name, status: answer.status, error: answer.error }).toEqual({ name, status: 'success', error: undefined });
        if ((answer.data?.result.length ?? 0) > 0) empty.delete(name);
      }
    }
    expect([...empty.keys()]).toEqual([]);
  });

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))('%s: names only metrics some service exports', async (_file, dashboard) => {
    expect(unknownMetrics(dashboard, await prometheus.metricNames())).toEqual([]);
  });
});
