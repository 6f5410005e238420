// AriOperations against a real Asterisk: the operations come from its own API description,
// parameters go where ari-client would put them, and refusals read as ari-client's did.
import { type Sites, ensureLocalInfra, startSites } from '@lianluo/testing';
import ariClient, { type Client } from 'ari-client';
import { randomUUID } from 'node:crypto';
import { AriHttp, type AriOperations, loadAriOperations } from '../src/ari/ari-operations';

jest.setTimeout(60_000);

describe('ARI operations over keep-alive HTTP', () => {
  let sites: Sites;
  let http: AriHttp;
  let ari: AriOperations;
  let app: Client;

  beforeAll(async () => {
    await ensureLocalInfra();
    sites = await startSites();
    http = new AriHttp({ url: sites.bj.ariUrl, user: sites.bj.ariUser, password: sites.bj.ariPassword });
    ari = await loadAriOperations(http);
    // The Stasis application the test's channels live in (a channel created for an app
    // nobody listens to is hung up at once).
    app = await ariClient.connect(sites.bj.ariUrl, sites.bj.ariUser, sites.bj.ariPassword);
    await app.start('lianluo-ops-test');
  });

  afterAll(async () => {
    app?.stop();
    http?.close();
    await sites?.remove();
  });

  it('knows every resource and operation Asterisk describes, and returns its JSON', async () => {
    expect(typeof ari.channels.originate).toBe('function');
    expect(typeof ari.bridges.addChannel).toBe('function');
    const info = await ari.asterisk.getInfo();
    expect(info.system?.version).toMatch(/^\d+\./);
  });

  it('puts path, query and wrapped body parameters where ARI reads them', async () => {
    const bridgeId = `b-${randomUUID()}`;
    const created = await ari.bridges.create({ type: 'mixing', bridgeId, name: 'ops-test' });
    expect(created).toMatchObject({ id: bridgeId, name: 'ops-test', bridge_type: 'mixing' });
    expect((await ari.bridges.get({ bridgeId })).id).toBe(bridgeId);

    // A channel created in the app, not dialled: its variables come from the body, wrapped
    // as ari-client does; the query carries the rest.
    const channelId = `c-${randomUUID()}`;
    // (ari-client's types predate create's `variables`.)
    const create = ari.channels.create as unknown as (params: Record<string, unknown>) => Promise<{ id: string }>;
    const channel = await create({ endpoint: 'Local/ops-test@lianluo-ops-test', app: 'lianluo-ops-test', channelId, variables: { LIANLUO_PROBE: 'yes' } });
    expect(channel.id).toBe(channelId);
    expect((await ari.channels.getChannelVar({ channelId, variable: 'LIANLUO_PROBE' })).value).toBe('yes');
    await ari.channels.hangup({ channelId });
    // No content (204) resolves with nothing.
    await expect(ari.bridges.destroy({ bridgeId })).resolves.toBeUndefined();
  });

  it('rejects as ari-client did: the error message is Asterisk’s response body', async () => {
    await expect(ari.channels.answer({ channelId: 'no-such-channel' })).rejects.toThrow(/Channel not found/);
    await expect(ari.bridges.get({ bridgeId: `missing-${randomUUID()}` })).rejects.toThrow(/Bridge not found/);
  });

  it('names a missing path parameter instead of sending a request', async () => {
    await expect(ari.channels.answer({} as never)).rejects.toThrow('missing path parameter channelId');
  });
});
