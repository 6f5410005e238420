// The route table of the live WebSocket: each feed opened without a token, with another tenant's
// token and with each role: 401, 403, and 403 where the role may not see the feed; 101 where it may.
import { liveUpgradeStatus } from '@lianluo/testing';
import { ApiTestbed, type Person } from './api-testbed';

type Role = 'agent' | 'supervisor' | 'admin';

/** The roles (besides a platform operator, who may watch any board) that may open each feed. */
const FEEDS: Record<'me' | 'board', readonly Role[]> = {
  me: ['agent'],
  board: ['supervisor', 'admin'],
};
const PERSON_OF_ROLE: Record<Role, Person> = { agent: 'li', supervisor: 'supervisor', admin: 'admin' };
const path = (feed: string, tenant = 'acme') => `/v1/tenants/${tenant}/live?feed=${feed}`;

describe('the live feeds table', () => {
  let api: ApiTestbed;
  const status = async (feed: string, token?: string, tenant = 'acme') => (await liveUpgradeStatus(api.url, path(feed, tenant), token)).status;

  beforeAll(async () => {
    api = await ApiTestbed.start();
  }, 120_000);

  afterAll(() => api?.stop());

  it('refuses every feed without a token, or with a malformed or forged one, with 401 on the upgrade', async () => {
    const forged = api.signedToken('li', 'acme', 600).replace(/\.[^.]+$/, '.AAAA');
    const wrong: string[] = [];
    for (const feed of Object.keys(FEEDS)) {
      for (const [what, token] of [['anonymous', undefined], ['malformed', 'not.a.token'], ['forged', forged]] as const) {
        const answered = await status(feed, token);
        if (answered !== 401) wrong.push(`${feed} ${what}: ${answered}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("refuses every feed of a tenant to another tenant's token, whatever its roles, with 403", async () => {
    const strangers = { admin: await api.accessTokenOf('admin', 'globex'), agent: await api.accessTokenOf('li', 'globex'), supervisor: await api.accessTokenOf('supervisor', 'globex'), tool: await api.toolToken('globex') };
    const wrong: string[] = [];
    for (const feed of Object.keys(FEEDS)) {
      for (const [who, token] of Object.entries(strangers)) {
        const answered = await status(feed, token);
        if (answered !== 403) wrong.push(`${feed} by globex ${who}: ${answered}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a feed to a role that may not see it with 403 and opens it for the roles it is for and for platform operators', async () => {
    const wrong: string[] = [];
    for (const [feed, allowed] of Object.entries(FEEDS)) {
      for (const role of ['agent', 'supervisor', 'admin'] as const) {
        const answered = await status(feed, await api.accessTokenOf(PERSON_OF_ROLE[role], 'acme'));
        const expected = allowed.includes(role) ? 101 : 403;
        if (answered !== expected) wrong.push(`${feed} by ${role}: ${answered}, not ${expected}`);
      }
    }
    const operator = await api.accessTokenOf('ops');
    for (const [feed, expected] of [['board', 101], ['me', 403]] as const) {
      const answered = await status(feed, operator, 'globex');
      if (answered !== expected) wrong.push(`${feed} by a platform operator: ${answered}, not ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 400 naming the field to an unknown feed or a malformed cursor, and 404 beside the live endpoint', async () => {
    const token = await api.accessTokenOf('supervisor', 'acme');
    const unknownFeed = await liveUpgradeStatus(api.url, path('everything'), token);
    expect(unknownFeed.status).toBe(400);
    expect(JSON.stringify(unknownFeed.body)).toContain('query.feed');
    const badCursor = await liveUpgradeStatus(api.url, `${path('board')}&cursor=acd:x`, token);
    expect(badCursor.status).toBe(400);
    expect(JSON.stringify(badCursor.body)).toContain('query.cursor');
    expect((await liveUpgradeStatus(api.url, '/v1/tenants/acme/elsewhere', token)).status).toBe(404);
  });
});
