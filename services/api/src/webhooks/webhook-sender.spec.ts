import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { type SendRules, sendWebhook } from './webhook-sender';

/** A local receiver answering each request with `answer`; counts what reached it. */
async function receiver(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ port: number; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests, server };
}

const loopbackAllowed: SendRules = { allowHttp: true, policy: new WebhookAddressPolicy(['127.0.0.1/32']), timeoutMs: 1_000 };
const send = (url: string, rules = loopbackAllowed) => sendWebhook(url, { 'content-type': 'application/json' }, '{}', rules);

describe('sending one webhook attempt over real HTTP', () => {
  const servers: Server[] = [];
  const start = async (answer: (request: IncomingMessage, response: ServerResponse) => void) => {
    const started = await receiver(answer);
    servers.push(started.server);
    return started;
  };

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes a 2xx as delivered and anything else as an http_status failure, without following redirects', async () => {
    const { port, requests } = await start((request, response) => response.writeHead(request.url === '/moved' ? 302 : request.url === '/down' ? 503 : 204, { location: `http://127.0.0.1/elsewhere` }).end());
    expect(await send(`http://127.0.0.1:${port}/ok`)).toEqual({ ok: true, statusCode: 204 });
    expect(await send(`http://127.0.0.1:${port}/down`)).toEqual({ ok: false, reason: 'http_status', statusCode: 503 });
    expect(await send(`http://127.0.0.1:${port}/moved`)).toEqual({ ok: false, reason: 'http_status', statusCode: 302 });
    expect(requests.map((request) => request.url)).toEqual(['/ok', '/down', '/moved']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const { port } = await start(() => undefined);
    expect(await send(`http://127.0.0.1:${port}/`, { ...loopbackAllowed, timeoutMs: 200 })).toEqual({ ok: false, reason: 'timeout' });
  });

  it('connects to no address the policy refuses, whether the URL names it or a host name resolves to it', async () => {
    const { port, requests } = await start((_request, response) => response.writeHead(204).end());
    const strict: SendRules = { ...loopbackAllowed, policy: new WebhookAddressPolicy() };
    expect(await send(`http://127.0.0.1:${port}/`, strict)).toEqual({ ok: false, reason: 'url_refused' });
    expect(await send(`http://localhost:${port}/`, strict)).toEqual({ ok: false, reason: 'url_refused' });
    expect(requests).toHaveLength(0);
    // Allowed, the same name reaches the receiver through the address the policy let through.
    expect(await send(`http://localhost:${port}/`)).toEqual({ ok: true, statusCode: 204 });
  });

  it('refuses http unless allowed, and names a refused connection and an unknown host', async () => {
    expect(await send('http://127.0.0.1:9/', { ...loopbackAllowed, allowHttp: false })).toEqual({ ok: false, reason: 'url_refused' });
    const { port, server } = await receiver(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    expect(await send(`http://127.0.0.1:${port}/`)).toEqual({ ok: false, reason: 'connection_failed' });
    expect(await send('https://no-such-host.invalid/')).toEqual({ ok: false, reason: 'dns_failed' });
  });
});
