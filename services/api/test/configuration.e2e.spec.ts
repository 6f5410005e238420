// An admin keeps the tenant's acd configuration as code through the api against a real acd:
// export and import round trips, dry runs, pruning, a bad document refused with its lines and
// nothing changed, item routes with ETag and If-Match, and every change in the audit log.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ApiTestbed } from './api-testbed';

describe('configuration as code through the api', () => {
  let api: ApiTestbed;
  let admin: ApiClient;
  let supervisor: ApiClient;
  const tenant = { path: { tenant: 'acme' } };

  beforeAll(async () => {
    api = await ApiTestbed.start({ services: ['acd'] });
    admin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin') });
    supervisor = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('supervisor') });
  }, 120_000);

  afterAll(() => api?.stop());

  const exported = async () => {
    const response = await fetch(`${api.url}/v1/tenants/acme/configuration`, { headers: { authorization: `Bearer ${await api.accessTokenOf('admin')}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/yaml/);
    return response.text();
  };
  const importing = async (yaml: string, query = '') =>
    fetch(`${api.url}/v1/tenants/acme/configuration${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.accessTokenOf('admin')}`, 'content-type': 'text/yaml' },
      body: yaml,
    });
  interface Changes {
    created: string[];
    updated: string[];
    deleted: string[];
    unchanged: string[];
  }
  type Diff = Record<'skills' | 'queues' | 'agents' | 'notReadyReasons' | 'wrapUpCodes', Changes>;
  const imported = async (yaml: string, query = '') => {
    const response = await importing(yaml, query);
    expect(response.status).toBe(200);
    return (await response.json()) as { applied: boolean; diff: Diff };
  };

  it('imports its own export without changing anything, and exports the same document again', async () => {
    // Without prune, a document of codes only adds them to the test bed's queue and agents.
    await imported('notReadyReasons:\n  - code: lunch\n    label: Lunch\nwrapUpCodes:\n  - code: sold\n    label: Sale closed\n');
    const before = await exported();
    expect(before).toContain('queue: support');
    const outcome = await imported(before, '?prune=true');
    expect(outcome.applied).toBe(true);
    for (const changes of Object.values(outcome.diff)) expect([...changes.created, ...changes.updated, ...changes.deleted]).toEqual([]);
    expect(outcome.diff.queues.unchanged).toEqual(['support']);
    expect(outcome.diff.notReadyReasons.unchanged).toEqual(['lunch']);
    expect(await exported()).toBe(before);
  });

  it('refuses a bad document naming each problem by field, line and column, and changes nothing', async () => {
    const before = await exported();
    const bad = ['queues:', '  - queue: support', '    wrapUpMs: -3', 'skills:', '  - name: network', 'wrapUpCodes:', '  - code: "bad code"', '    label: Bad', ''].join('\n');
    const response = await importing(bad);
    expect(response.status).toBe(400);
    const refusal = (await response.json()) as { message: string; problems: { field: string; reason: string; line: number; column: number; at: string }[] };
    expect(refusal.problems.map(({ field, line, column, at }) => ({ field, line, column, at }))).toEqual([
      { field: 'queues[0].wrapUpMs', line: 3, column: 15, at: 'configuration.yaml:3:15' },
      { field: 'wrapUpCodes[0].code', line: 7, column: 11, at: 'configuration.yaml:7:11' },
    ]);
    expect(refusal.message).toContain('configuration.yaml:3:15: queues[0].wrapUpMs must not be negative');
    const syntax = await importing('queues:\n  - queue: [x\n');
    expect(syntax.status).toBe(400);
    expect(((await syntax.json()) as { problems: { line: number }[] }).problems[0]!.line).toBeGreaterThanOrEqual(2);
    expect(await exported()).toBe(before);
  });

  it('answers a dry run with what would be created, updated and deleted, and changes nothing', async () => {
    const before = await exported();
    const changed = `${before.replace('offerTimeoutMs: 60000', 'offerTimeoutMs: 30000')}`.replace(/notReadyReasons:\n( {2}.*\n)+/, 'notReadyReasons:\n  - code: training\n    label: Training\n');
    const outcome = await imported(changed, '?dryRun=true&prune=true');
    expect(outcome.applied).toBe(false);
    expect(outcome.diff.queues).toEqual({ created: [], updated: ['support'], deleted: [], unchanged: [] });
    expect(outcome.diff.notReadyReasons).toEqual({ created: ['training'], updated: [], deleted: ['lunch'], unchanged: [] });
    expect(await exported()).toBe(before);
  });

  it('prunes what the document does not name only when asked', async () => {
    const before = await exported();
    const withoutSold = before.replace(/wrapUpCodes:\n( {2}.*\n)+/, 'wrapUpCodes: []\n');
    expect((await imported(withoutSold)).diff.wrapUpCodes).toEqual({ created: [], updated: [], deleted: [], unchanged: ['sold'] });
    expect((await imported(withoutSold, '?prune=true')).diff.wrapUpCodes).toEqual({ created: [], updated: [], deleted: ['sold'], unchanged: [] });
    const codes = await admin.GET('/v1/tenants/{tenant}/wrap-up-codes', { params: tenant });
    expect(codes.data!.items).toEqual([]);
  });

  it('gives each item its version as ETag and changes it only under a matching If-Match', async () => {
    const read = await supervisor.GET('/v1/tenants/{tenant}/queues/{queue}', { params: { path: { tenant: 'acme', queue: 'support' } } });
    expect(read.response.status).toBe(200);
    const etag = read.response.headers.get('etag')!;
    expect(etag).toBe(`"${read.data!.version}"`);
    expect(read.data).toMatchObject({ queue: 'support', offerTimeoutMs: 60_000 });
    const path = { path: { tenant: 'acme', queue: 'support' } };
    const stale = await admin.PUT('/v1/tenants/{tenant}/queues/{queue}', { params: { ...path, header: { 'If-Match': '"an-old-version"' } }, body: { offerTimeoutMs: 45_000 } });
    expect(stale.response.status).toBe(412);
    const changed = await admin.PUT('/v1/tenants/{tenant}/queues/{queue}', { params: { ...path, header: { 'If-Match': etag } }, body: { offerTimeoutMs: 45_000 } });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({ queue: 'support', offerTimeoutMs: 45_000 });
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    // The first reader's tag is stale now: its change and its delete are refused.
    expect((await admin.PUT('/v1/tenants/{tenant}/queues/{queue}', { params: { ...path, header: { 'If-Match': etag } }, body: { offerTimeoutMs: 50_000 } })).response.status).toBe(412);
    const created = await admin.PUT('/v1/tenants/{tenant}/skills/{name}', { params: { path: { tenant: 'acme', name: 'network' } }, body: { description: 'Routers' } });
    expect(created.response.status).toBe(201);
    const skillTag = created.response.headers.get('etag')!;
    const skillPath = { path: { tenant: 'acme', name: 'network' } };
    expect((await admin.DELETE('/v1/tenants/{tenant}/skills/{name}', { params: { ...skillPath, header: { 'If-Match': '"other"' } } })).response.status).toBe(412);
    expect((await admin.DELETE('/v1/tenants/{tenant}/skills/{name}', { params: { ...skillPath, header: { 'If-Match': skillTag } } })).response.status).toBe(204);
    expect((await admin.GET('/v1/tenants/{tenant}/skills/{name}', { params: skillPath })).response.status).toBe(404);
    const bad = await admin.PUT('/v1/tenants/{tenant}/queues/{queue}', { params: path, body: { offerTimeoutMs: 0 } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ problems: [{ field: 'body.offerTimeoutMs' }] });
  });

  it('keeps imports and item changes in the audit log with before and after', async () => {
    const log = await admin.GET('/v1/tenants/{tenant}/audit-log', { params: { ...tenant, query: { action: 'configuration' } } });
    const imports = log.data!.items.filter((entry) => entry.action === 'POST /v1/tenants/:tenant/configuration');
    const pruning = imports.find((entry) => entry.status === 200 && (entry.after as { diff?: Diff } | null)?.diff?.wrapUpCodes.deleted.includes('sold'));
    expect(pruning).toBeDefined();
    expect((pruning!.before as { yaml: string }).yaml).toContain('code: sold');
    expect(imports.some((entry) => entry.status === 400)).toBe(true);
    const queues = await admin.GET('/v1/tenants/{tenant}/audit-log', { params: { ...tenant, query: { action: '/queues' } } });
    const change = queues.data!.items.find((entry) => entry.status === 200);
    expect(change!.before).toMatchObject({ queue: 'support', offerTimeoutMs: 60_000 });
    expect(change!.after).toMatchObject({ queue: 'support', offerTimeoutMs: 45_000 });
  });
});
