import { type AddressInfo } from 'node:net';
import { type Server, createServer } from 'node:http';
import { createApiClient } from './index';

describe('createApiClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { url: string | undefined; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ tenant: 'acme', subject: 's', roles: ['agent'], agentId: 'li' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends the current access token with every request, asking for it each time', async () => {
    const tokens = ['first-token', 'refreshed-token'];
    let asked = 0;
    const api = createApiClient({ baseUrl, accessToken: () => tokens[asked++]! });
    const first = await api.GET('/v1/tenants/{tenant}/me', { params: { path: { tenant: 'acme' } } });
    await api.GET('/v1/tenants/{tenant}/me', { params: { path: { tenant: 'a b' } } });
    expect(first.data).toEqual({ tenant: 'acme', subject: 's', roles: ['agent'], agentId: 'li' });
    expect(seen).toEqual([
      { url: '/v1/tenants/acme/me', authorization: 'Bearer first-token' },
      { url: '/v1/tenants/a%20b/me', authorization: 'Bearer refreshed-token' },
    ]);
  });
});
