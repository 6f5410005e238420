// Cost of the api's authentication and authorisation on a request: GET /v1/tenants/{t}/me with
// a valid access token against the same request to the same app with both guards set aside,
// each api in a process of its own (bench/api/edge.ts), rounds of each taking turns in a random
// order. Target (issue 17): authenticated p99 ≤ 1.2× the p99 without auth. Also printed, with
// no target: a fresh token on every request (its signature checked every time).
import { TEST_POSTGRES_SERVER, apiServiceAuthEnv, createTestDatabase, dropTestDatabase, ensureLocalInfra, freePort, generateCookieSecret, generateSigningJwks, uniqueNamespace } from '@lianluo/testing';
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { type JWK, SignJWT, importJWK } from 'jose';

const REQUESTS_PER_ROUND = Number(process.env.BENCH_API_REQUESTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_API_CONCURRENCY ?? 8);
const TARGET = 1.2;
const ISSUER = 'http://127.0.0.1/oidc';
const AUDIENCE = 'urn:lianluo:api';

interface Edge {
  readonly child: ChildProcess;
  readonly port: number;
}

async function startEdge(auth: 'on' | 'off', env: Record<string, string>): Promise<Edge> {
  const port = await freePort();
  const child = fork(join(__dirname, 'api', 'edge.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env, HTTP_PORT: String(port), BENCH_AUTH: auth }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the ${auth} api exited (${code})`)));
  });
  return { child, port };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(port: number, token: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/tenants/bench/me', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e3) : reject(new Error(`answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A round of requests, CONCURRENCY in flight; each one's latency in µs. */
async function round(port: number, tokenOf: (i: number) => string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS_PER_ROUND) {
        const i = next++;
        latencies.push(await get(port, tokenOf(i)));
      }
    }),
  );
  return latencies;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

async function main(): Promise<void> {
  await ensureLocalInfra();
  const namespace = uniqueNamespace('apibench');
  await createTestDatabase(namespace);
  const keys = generateSigningJwks();
  const env = {
    NATS_NAMESPACE: namespace,
    DATABASE_URL: `${TEST_POSTGRES_SERVER}/${namespace}`,
    DATABASE_POOL_SIZE: '2',
    OIDC_ISSUER: ISSUER,
    OIDC_SIGNING_KEYS: JSON.stringify(keys),
    OIDC_COOKIE_SECRETS: generateCookieSecret(),
    LOG_LEVEL: 'error',
    ...apiServiceAuthEnv(),
  };
  const key = await importJWK(keys.keys[0] as JWK, 'EdDSA');
  const sign = () =>
    new SignJWT({ tenant: 'bench', roles: ['agent'], agent_id: 'li' })
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.keys[0]!.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('bench-agent')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  const token = await sign();
  const fresh = await Promise.all(Array.from({ length: REQUESTS_PER_ROUND * 3 }, sign));
  let freshUsed = 0;

  const edges = { on: await startEdge('on', env), off: await startEdge('off', env) };
  try {
    console.log(`api bench: GET /v1/tenants/{t}/me, ${ROUNDS} rounds of ${REQUESTS_PER_ROUND} requests per variant, ${CONCURRENCY} in flight`);
    for (let warm = 0; warm < 3; warm++) for (const edge of [edges.on, edges.off]) await round(edge.port, () => token);
    const samples = { on: [] as number[], off: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      const order = Math.random() < 0.5 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const variant of order) samples[variant].push(...(await round(edges[variant].port, () => token)));
    }
    const freshSamples: number[] = [];
    for (let r = 0; r < 3; r++) freshSamples.push(...(await round(edges.on.port, () => fresh[freshUsed++ % fresh.length]!)));

    const line = (label: string, values: number[]) => console.log(`  ${label.padEnd(44)} p50 ${percentile(values, 0.5).toFixed(0).padStart(6)} µs   p99 ${percentile(values, 0.99).toFixed(0).padStart(6)} µs`);
    line('without auth (guards set aside, baseline)', samples.off);
    line('authenticated (token seen before)', samples.on);
    line('authenticated, a new token every request', freshSamples);
    const ratio = percentile(samples.on, 0.99) / percentile(samples.off, 0.99);
    console.log(`  authenticated p99 / without-auth p99        ${ratio.toFixed(2)}×`);
    console.log(`  ${ratio <= TARGET ? 'MET   ' : 'MISSED'}  authenticated request p99 ≤ ${TARGET}× the same request without auth (${ratio.toFixed(2)}×)`);
  } finally {
    for (const edge of Object.values(edges)) edge.child.disconnect();
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dropTestDatabase(namespace);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
