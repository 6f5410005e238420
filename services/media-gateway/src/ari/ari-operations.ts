import type { Client } from 'ari-client';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/**
 * ARI's REST operations as ari-client names them (`client.channels.answer({ channelId })`),
 * sent straight over keep-alive HTTP. ari-client routes each call through swagger-client,
 * which rebuilds the request from the API description every time (about 0.7 ms of CPU a
 * command, a third of the gateway's work under load); here each operation is resolved
 * once, when the connection starts, from the same description Asterisk serves.
 *
 * Same contract as ari-client's: parameters by name (path, query, and the one body
 * parameter, `variables` or `fields`, wrapped the way ari-client wraps it); the result is
 * the response's JSON (undefined for 204); a refusal rejects with an Error whose message
 * is Asterisk's response body, so what reads ari-client's errors reads these.
 */
export type AriOperations = Pick<Client, 'channels' | 'bridges' | 'playbacks' | 'recordings' | 'endpoints' | 'asterisk' | 'sounds' | 'applications' | 'deviceStates' | 'mailboxes'>;

interface ApiParameter {
  readonly name: string;
  readonly paramType: 'path' | 'query' | 'body' | 'header' | 'form';
}

interface ApiOperation {
  readonly httpMethod: string;
  readonly nickname: string;
  readonly parameters?: readonly ApiParameter[];
}

interface ApiDeclaration {
  readonly apis: readonly { readonly path: string; readonly operations: readonly ApiOperation[] }[];
}

/** One operation, resolved: how to turn named parameters into a request. */
interface Operation {
  readonly method: string;
  /** The path split at its `{parameter}` tokens: literal, name, literal, name, … literal. */
  readonly pathParts: readonly string[];
  readonly query: readonly string[];
  readonly body: string | undefined;
}

export interface AriEndpoint {
  /** Asterisk's HTTP base URL, e.g. http://127.0.0.1:8088 (ARI lives under /ari). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

export class AriHttp {
  private readonly base: URL;
  private readonly authorization: string;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(endpoint: AriEndpoint) {
    this.base = new URL(endpoint.url.replace(/\/+$/, '') + '/ari/');
    this.authorization = `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}`;
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 32 });
  }

  /** Sends one request to `path` (below /ari/); resolves with the parsed JSON, undefined when there is none. */
  request(method: string, path: string, body?: string): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const headers: Record<string, string | number> = { authorization: this.authorization, accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, { method, headers, agent: this.agent }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 400) {
            reject(new Error(text || `HTTP ${status} ${response.statusMessage ?? ''}`.trim()));
            return;
          }
          if (text === '') {
            resolve(undefined);
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`ARI answered ${method} ${url.pathname} with something that is not JSON: ${text.slice(0, 200)}`));
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Reads Asterisk's API description and builds `client.<resource>.<operation>(params)` for every operation in it. */
export async function loadAriOperations(ari: AriHttp): Promise<AriOperations> {
  const listing = (await ari.request('GET', 'api-docs/resources.json')) as { apis: readonly { path: string }[] };
  const resources: Record<string, Record<string, (params?: Record<string, unknown>) => Promise<unknown>>> = {};
  await Promise.all(
    listing.apis.map(async ({ path }) => {
      // "/api-docs/channels.{format}" → channels
      const resource = /\/api-docs\/([A-Za-z]+)\.\{format\}$/.exec(path)?.[1];
      if (resource === undefined) return;
      const declaration = (await ari.request('GET', `api-docs/${resource}.json`)) as ApiDeclaration;
      const operations: Record<string, (params?: Record<string, unknown>) => Promise<unknown>> = {};
      for (const api of declaration.apis) {
        for (const raw of api.operations) {
          const operation = resolve(api.path, raw);
          operations[raw.nickname] = (params = {}) => call(ari, operation, params);
        }
      }
      resources[resource] = operations;
    }),
  );
  return resources as unknown as AriOperations;
}

function resolve(path: string, raw: ApiOperation): Operation {
  const parameters = raw.parameters ?? [];
  return {
    method: raw.httpMethod.toUpperCase(),
    pathParts: path.split(/\{([^}]+)\}/),
    query: parameters.filter((p) => p.paramType === 'query').map((p) => p.name),
    body: parameters.find((p) => p.paramType === 'body')?.name,
  };
}

function call(ari: AriHttp, operation: Operation, params: Record<string, unknown>): Promise<unknown> {
  let path = '';
  for (let i = 0; i < operation.pathParts.length; i++) {
    if (i % 2 === 0) {
      path += operation.pathParts[i];
      continue;
    }
    const value = params[operation.pathParts[i]];
    if (value === undefined || value === null) {
      return Promise.reject(new Error(`ARI ${operation.method} ${operation.pathParts.join('')}: missing path parameter ${operation.pathParts[i]}`));
    }
    path += encodeURIComponent(String(value));
  }
  const query: string[] = [];
  for (const name of operation.query) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    // A list parameter (allowMultiple) goes as one comma-separated value, as ARI takes it.
    query.push(`${encodeURIComponent(name)}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  let body: string | undefined;
  if (operation.body !== undefined && params[operation.body] !== undefined && params[operation.body] !== null) {
    const value = params[operation.body] as Record<string, unknown>;
    // As ari-client: `variables` and `fields` are wrapped in an object of that name.
    const wrapped = (operation.body === 'variables' || operation.body === 'fields') && !(operation.body in value) ? { [operation.body]: value } : value;
    body = JSON.stringify(wrapped);
  }
  return ari.request(operation.method, query.length > 0 ? `${path}?${query.join('&')}` : path, body);
}
