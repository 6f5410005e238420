// The live business gauges on /metrics, read from the projections at scrape time, with a
// clock fixed at 10:10 so "now" and "the current interval" are known.
import 'reflect-metadata';
import { uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { type AgentStateName } from '../src/agents/agent-fact';
import { type ContactFact } from '../src/contacts/contact-fact';
import { EventStore } from '../src/events/event-store';
import { type ReportedEvent } from '../src/events/reported-event';
import { ReportingTestBed, sampleOf } from './reporting-harness';

jest.setTimeout(60_000);

const namespace = uniqueNamespace('rep');
const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 10, 23, hh, mm, ss);
const NOW = at(10, 10);

let sequence = 0;
function event(atMs: number, about: { contactId: string } | { agentId: string }, fact: ContactFact | ReportedEvent['fact']): ReportedEvent {
  return { domain: 'acd', eventId: `m-${++sequence}`, name: 'test', typeName: 'test', tenant: 'acme', occurredAtMs: atMs, streamSequence: 0, payload: {}, ...about, fact };
}

describe('business gauges', () => {
  let bed: ReportingTestBed;
  let app: INestApplication;
  let exposition: string;

  beforeAll(async () => {
    bed = await ReportingTestBed.start(namespace, { SERVICE_LEVEL_SECONDS: '20' }, () => NOW);
    ({ app } = bed);
    const store = app.get(EventStore);
    const contact = async (id: string, queue: string, queuedAt: number, ...rest: [number, ContactFact][]) => {
      await store.record(event(queuedAt, { contactId: id }, { kind: 'queued', queue, channel: 'voice' }));
      for (const [when, fact] of rest) await store.record(event(when, { contactId: id }, fact));
    };
    await contact('c-answered-fast', 'sales', at(10, 1), [at(10, 1, 15), { kind: 'agent-answered', agentId: 'a-2' }]);
    await contact('c-answered-slow', 'sales', at(10, 2), [at(10, 2, 40), { kind: 'agent-answered', agentId: 'a-1' }]);
    await contact('c-abandoned', 'sales', at(10, 3), [at(10, 4), { kind: 'abandoned' }]);
    await contact('c-waiting-long', 'sales', at(10, 8));
    await contact('c-waiting-short', 'sales', at(10, 9, 30));
    await contact('c-earlier', 'billing', at(9, 50), [at(9, 50, 5), { kind: 'agent-answered', agentId: 'a-3' }]);
    const agent = (id: string, site: string, state: AgentStateName, when: number) => store.record(event(when, { agentId: id }, { kind: 'agent-state', site, state }));
    await agent('a-1', 'bj', 'ready', at(8, 0));
    await agent('a-2', 'bj', 'ready', at(8, 0));
    await agent('a-2', 'bj', 'busy', at(10, 1, 15));
    await agent('a-3', 'sz', 'ready', at(8, 0));
    await agent('a-4', 'sz', 'ready', at(8, 0));
    await agent('a-4', 'sz', 'logged-out', at(9, 0));
    exposition = await (await fetch(`${await app.getUrl()}/metrics`)).text();
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('counts contacts waiting and the oldest wait per queue, 0 for a queue with none', () => {
    expect(sampleOf(exposition, 'lianluo_queue_contacts_waiting', { tenant: 'acme', queue: 'sales' })).toBe(2);
    expect(sampleOf(exposition, 'lianluo_queue_oldest_wait_seconds', { tenant: 'acme', queue: 'sales' })).toBe(120);
    expect(sampleOf(exposition, 'lianluo_queue_contacts_waiting', { tenant: 'acme', queue: 'billing' })).toBe(0);
  });

  it('counts logged-in agents by state and site', () => {
    expect(sampleOf(exposition, 'lianluo_agents', { tenant: 'acme', site: 'bj', state: 'ready' })).toBe(1);
    expect(sampleOf(exposition, 'lianluo_agents', { tenant: 'acme', site: 'bj', state: 'busy' })).toBe(1);
    expect(sampleOf(exposition, 'lianluo_agents', { tenant: 'acme', site: 'sz', state: 'ready' })).toBe(1);
    expect(sampleOf(exposition, 'lianluo_agents', { site: 'sz', state: 'logged-out' })).toBeUndefined();
  });

  it('gives the service level and abandon ratio of the current 15-minute interval', () => {
    // Queued since 10:00: five contacts, one answered within 20 s, one abandoned.
    expect(sampleOf(exposition, 'lianluo_queue_contacts_offered_current_interval', { tenant: 'acme', queue: 'sales' })).toBe(5);
    expect(sampleOf(exposition, 'lianluo_queue_service_level_ratio', { tenant: 'acme', queue: 'sales' })).toBeCloseTo(0.2, 12);
    expect(sampleOf(exposition, 'lianluo_queue_abandon_ratio', { tenant: 'acme', queue: 'sales' })).toBeCloseTo(0.2, 12);
    expect(sampleOf(exposition, 'lianluo_queue_service_level_ratio', { queue: 'billing' })).toBeUndefined();
  });

  it('labels by tenant, queue, site and state only, never by contact or agent', () => {
    const business = exposition.split('\n').filter((line) => /^lianluo_(queue|agents)/.test(line));
    expect(business.length).toBeGreaterThan(0);
    for (const line of business) {
      const labels = [...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/([a-z_]+)="/g)].map((m) => m[1]);
      expect(labels.filter((label) => !['tenant', 'queue', 'site', 'state', 'service'].includes(label as string))).toEqual([]);
    }
  });

  it('counts what the event store recorded', () => {
    expect(sampleOf(exposition, 'lianluo_reporting_events_recorded_total', { domain: 'acd', outcome: 'stored' })).toBe(sequence);
  });
});
