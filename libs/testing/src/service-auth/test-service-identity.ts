// api's service identity as the tests play it: one key pair per test process, the services
// under test trusting its public half (serviceAuthEnv), the test signing as api would.
import { type ServiceKeys, ServiceTokenSigner, generateServiceKeys } from '@lianluo/service-auth';

let keys: ServiceKeys | undefined;
let signer: ServiceTokenSigner | undefined;

function testKeys(): ServiceKeys {
  keys ??= generateServiceKeys();
  return keys;
}

/** The variable a service under test needs to trust this process as api. */
export function serviceAuthEnv(): { SERVICE_AUTH_PUBLIC_KEYS: string } {
  return { SERVICE_AUTH_PUBLIC_KEYS: JSON.stringify(testKeys().publicJwks) };
}

/** A valid api token for the service `audience` (`acd`, `ivr`, `voicemail`, `reporting`). */
export function serviceTokenFor(audience: string): Promise<string> {
  signer ??= new ServiceTokenSigner({ privateKey: testKeys().privateJwk });
  return signer.tokenFor(audience);
}

/** Request headers carrying a valid api token for `audience`. */
export async function serviceAuthHeaders(audience: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await serviceTokenFor(audience)}` };
}

/** `fetch` as api calls a service: with a valid token for `audience`, signed for this request's time. */
export async function fetchAsApi(audience: string, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(await serviceAuthHeaders(audience)) } });
}

export interface RefusedAuthorization {
  readonly name: string;
  readonly headers: Record<string, string>;
}

/** What a service must refuse: no token, another service's, one signed by another key under api's kid, an expired one. */
export async function refusedServiceAuthorizations(audience: string): Promise<RefusedAuthorization[]> {
  const { privateJwk } = testKeys();
  const forger = new ServiceTokenSigner({ privateKey: { ...generateServiceKeys().privateJwk, kid: privateJwk.kid } });
  // Issued ten minutes ago: a minute-long token, long expired, whatever the clocks' drift.
  const past = new ServiceTokenSigner({ privateKey: privateJwk, now: () => Date.now() - 10 * 60_000 });
  const otherService = audience === 'acd' ? 'ivr' : 'acd';
  return [
    { name: 'no token', headers: {} },
    { name: `a token for ${otherService}`, headers: await serviceAuthHeaders(otherService) },
    { name: 'a token signed by another key', headers: { authorization: await forger.authorizationFor(audience) } },
    { name: 'an expired token', headers: { authorization: await past.authorizationFor(audience) } },
  ];
}

export interface ServiceRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

export interface ProbeAnswer {
  readonly route: string;
  readonly authorization: string;
  readonly status: number;
  readonly body: unknown;
}

/** Sends each route every refused authorization of `audience`; what each request was answered. */
export async function probeServiceIdentity(baseUrl: string, audience: string, routes: readonly ServiceRoute[]): Promise<ProbeAnswer[]> {
  const answers: ProbeAnswer[] = [];
  for (const authorization of await refusedServiceAuthorizations(audience)) {
    for (const route of routes) {
      const body = route.body === undefined ? undefined : JSON.stringify(route.body);
      const response = await fetch(`${baseUrl}${route.path}`, {
        method: route.method,
        headers: { ...authorization.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
      });
      const text = await response.text();
      answers.push({ route: `${route.method} ${route.path}`, authorization: authorization.name, status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined });
    }
  }
  return answers;
}

/** The variable api under test needs to sign as api towards services trusting serviceAuthEnv(). */
export function apiServiceAuthEnv(): { SERVICE_AUTH_PRIVATE_KEY: string } {
  return { SERVICE_AUTH_PRIVATE_KEY: JSON.stringify(testKeys().privateJwk) };
}
