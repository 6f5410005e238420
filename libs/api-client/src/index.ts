import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-schema';

export type { components, operations, paths } from './api-schema';

export interface ApiClientOptions {
  /** The api's base URL, e.g. https://cc.example.com (routes start with /v1). */
  readonly baseUrl: string;
  /** The current access token; called before every request, so a refreshed token is used at once. */
  readonly accessToken: () => string | Promise<string>;
  readonly fetch?: typeof globalThis.fetch;
}

export type ApiClient = Client<paths>;

/**
 * A typed client of the api: paths, parameters, bodies and answers as its OpenAPI document
 * says, with the bearer token set on every request.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await options.accessToken()}`);
      return request;
    },
  });
  return client;
}
