// The images' contents, run where no image engine is: each service's production bundle (what
// docker/node-service.Dockerfile copies) and the Asterisk image's entry point and configuration
// (on Debian unstable's Asterisk, as the image installs it), started with the environment the
// chart gives their pods, answering the probes the chart gives them.
import { generateServiceKeys } from '@lianluo/service-auth';
import { asteriskRootfsDir, defaultSites, ensureLocalInfra, fetchAsApi, freePort, generateCookieSecret, generateSigningJwks, renderAsteriskConfig, requireAsteriskRootfs, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import { connect } from 'nats';
import { Client } from 'pg';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleService } from '../../docker/bundle-service';
import { ChartCopy, type Container, EXAMPLES, type Manifest, podSpecOf } from './chart';
import { ConfigMapVolume } from './configmap-volume';
import { AsteriskImageInstance, RunningProcess } from './image-processes';

const ADDRESS = '127.0.9.1';
const API_ISSUER = 'https://cc.example.com/oidc';
const namespace = uniqueNamespace('img');
/** This run's own database, given to the chart as its external PostgreSQL. */
const database = `${namespace}_images`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
const running: RunningProcess[] = [];
let chart: ChartCopy;
let manifests: Manifest[];
let asterisk: AsteriskImageInstance;
let workDir: string;
let ariPort: number;

beforeAll(async () => {
  await ensureLocalInfra();
  workDir = mkdtempSync(join(tmpdir(), 'lianluo-images-'));
  const sipPort = await freePort(ADDRESS);
  ariPort = await freePort(ADDRESS, [sipPort]);
  chart = new ChartCopy();
  // The services trust this test process as api (the public keys reach them through the chart's ConfigMap).
  const publicKeys = join(workDir, 'service-auth-public.jwks.json');
  writeFileSync(publicKeys, serviceAuthEnv().SERVICE_AUTH_PUBLIC_KEYS);
  // api's own keys, as values the chart writes into its Secrets.
  const apiKeys = {
    'serviceAuth.privateKey': JSON.stringify(generateServiceKeys().privateJwk),
    'api.oidc.signingKeys': JSON.stringify(generateSigningJwks()),
    'api.oidc.cookieSecrets': generateCookieSecret(),
  };
  const apiKeyFiles = Object.entries(apiKeys).flatMap(([value, text]) => {
    const file = join(workDir, value);
    writeFileSync(file, text);
    return ['--set-file', `${value}=${file}`];
  });
  // The chart as a one-site installation whose dependencies are this machine's.
  manifests = chart.render([
    ...['--set-file', `serviceAuth.publicKeys=${publicKeys}`, ...apiKeyFiles, '--set', `api.issuer=${API_ISSUER}`],
    ...['--set', `sites.bj.address=${ADDRESS}`, '--set', `sites.bj.sipPort=${sipPort}`, '--set', `sites.bj.ariPort=${ariPort}`],
    ...['--set', 'sites.bj.rtpPortStart=19800', '--set', 'sites.bj.rtpPortEnd=19899', '--set', 'sites.bj.trunk.match={127.0.0.0/24}'],
    ...['--set', 'nats.enabled=false', '--set', 'externalNats.url=nats://127.0.0.1:4222', '--set', `natsNamespace=${namespace}`],
    ...['--set', 'redis.enabled=false', '--set', 'externalRedis.mode=standalone', '--set', 'externalRedis.url=redis://127.0.0.1:6379'],
    ...['--set', 'postgresql.enabled=false', '--set', 'externalPostgresql.host=127.0.0.1', '--set', 'externalPostgresql.username=postgres'],
    ...['--set', `externalPostgresql.database=${database}`, '--set', 'logLevel=warn'],
  ]);
  await psql(`CREATE DATABASE ${database}`);
  asterisk = new AsteriskImageInstance(requireAsteriskRootfs(asteriskRootfsDir()), `image-${process.pid}-${namespace.slice(-4)}`);
});

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  await removeStreamsOf(namespace);
  await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  asterisk?.remove();
  chart?.remove();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function psql(statement: string): Promise<void> {
  const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function workload(kind: string, name: string): Container {
  const manifest = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const container = manifest && podSpecOf(manifest)?.containers[0];
  if (!container) throw new Error(`the chart rendered no ${kind} ${name}`);
  return container;
}

/** A container's environment as Kubernetes would give it: secrets read from the rendered Secrets, fields from `fields`. */
function environmentOf(container: Container, fields: Record<string, string> = {}): Record<string, string> {
  const secrets = manifests.filter((m) => m.kind === 'Secret');
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom as { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } | undefined;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.fieldRef) env[variable.name] = fields[from.fieldRef.fieldPath] ?? '';
    else if (from?.configMapKeyRef) {
      const { name, key } = from.configMapKeyRef;
      const data = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name)?.data as Record<string, string> | undefined;
      if (data?.[key] === undefined) throw new Error(`${variable.name} comes from ConfigMap ${name}, which the chart does not create`);
      env[variable.name] = data[key];
    } else if (from?.secretKeyRef) {
      const { name, key } = from.secretKeyRef;
      const data = secrets.find((secret) => secret.metadata.name === name)?.data as Record<string, string> | undefined;
      if (data?.[key] === undefined) throw new Error(`${variable.name} comes from secret ${name}, which the chart does not create`);
      env[variable.name] = Buffer.from(data[key], 'base64').toString();
    }
  }
  return env;
}

function readinessPath(container: Container): string {
  return (container.readinessProbe as { httpGet: { path: string } }).httpGet.path;
}

/** Starts a service from its bundle with the chart's environment, listening on a free local port. */
async function startBundle(service: string, container: Container, overrides: Record<string, string>) {
  const bundle = bundleService(service, join(workDir, service));
  const port = await freePort();
  const env = { ...environmentOf(container), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), NODE_ENV: 'production', ...overrides };
  // As the image runs it: `node dist/main.js` in the bundle, nothing from this workspace on the path.
  const process = RunningProcess.start(globalThis.process.execPath, ['--enable-source-maps', 'dist/main.js'], { cwd: bundle.dir, env });
  running.push(process);
  return { process, url: `http://127.0.0.1:${port}`, bundle };
}

describe('the acd image’s bundle', () => {
  it('holds only production dependencies and starts ready with the chart’s environment', async () => {
    const container = workload('Deployment', 'lianluo-acd');
    const { process, url, bundle } = await startBundle('acd', container, { REDIS_KEY_PREFIX: namespace });
    const response = await process.waitFor(`${url}${readinessPath(container)}`, 20_000);
    expect(await response.json()).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
    expect(JSON.parse(readFileSync(join(bundle.dir, 'package.json'), 'utf8'))).not.toHaveProperty('devDependencies');
    expect(bundle.packages).toContain('node_modules/ioredis');
    for (const devOnly of ['jest', 'typescript', 'nx', '@lianluo/testing', '@nestjs/testing']) expect(bundle.packages).not.toContain(`node_modules/${devOnly}`);
  });
});

describe('the ivr image’s bundle', () => {
  it('starts ready on its flows mounted as the kubelet mounts a ConfigMap, and reads them again when the kubelet swaps them', async () => {
    const container = workload('Deployment', 'lianluo-ivr');
    const flows = chart.render(['-f', EXAMPLES.production]).find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'lianluo-ivr-flows')?.data as Record<string, string>;
    const volume = new ConfigMapVolume(join(workDir, 'flows'));
    volume.update(flows);
    // The pod mounts the volume where the chart's FLOWS_DIR points; here, the folder above.
    const { process, url } = await startBundle('ivr', container, { FLOWS_DIR: volume.dir });
    await process.waitFor(`${url}${readinessPath(container)}`, 30_000);
    expect(await refusedFlowFiles(url)).toEqual({});

    volume.update({ ...flows, 'hotline.yaml': 'tenant: acme\nnumbers: []\nstart: menu\nsteps: {}\n' });
    await expect(waitUntilAsync(async () => ((await refusedFlowFiles(url))['hotline.yaml'] ?? 0) > 0, 15_000)).resolves.toBe(true);
    expect(process.exited).toBe(false);
  });
});

/** `lianluo_ivr_flow_files_refused_total` by file, from ivr's /metrics. */
async function refusedFlowFiles(url: string): Promise<Record<string, number>> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries([...metrics.matchAll(/^lianluo_ivr_flow_files_refused_total\{[^}]*\bfile="([^"]+)"[^}]*\} (\d+)$/gm)].map(([, file, count]) => [file!, Number(count)]));
}

describe('the voicemail image’s bundle', () => {
  it('starts ready with the chart’s environment, its schema migrated, reading the gateways’ recordings folder', async () => {
    const container = workload('Deployment', 'lianluo-voicemail');
    const { process, url } = await startBundle('voicemail', container, { RECORDING_DIR: join(workDir, 'recordings') });
    await process.waitFor(`${url}${readinessPath(container)}`, 30_000);
    const message = `${url}/voicemails/demo/00000000-0000-4000-8000-000000000000`;
    expect((await fetch(message)).status).toBe(401);
    expect((await fetchAsApi('voicemail', message)).status).toBe(404);
  });
});

describe('the reporting image’s bundle', () => {
  it('starts ready with the chart’s environment and answers reports from its migrated schema', async () => {
    const container = workload('Deployment', 'lianluo-reporting');
    const { process, url } = await startBundle('reporting', container, {});
    await process.waitFor(`${url}${readinessPath(container)}`, 30_000);
    const report = `${url}/reports/performance?tenant=demo&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`;
    expect((await fetch(report)).status).toBe(401);
    expect((await fetchAsApi('reporting', report)).status).toBe(200);
  });
});

describe('the api image’s bundle', () => {
  it('starts ready with the chart’s environment and keys from its Secrets, its schema migrated, loading its ES-module OpenID provider', async () => {
    const container = workload('Deployment', 'lianluo-api');
    const { process, url, bundle } = await startBundle('api', container, {});
    await process.waitFor(`${url}${readinessPath(container)}`, 30_000);
    // oidc-provider and jose are ES modules only: the bundle carries them and the CommonJS build loads them.
    expect(bundle.packages).toEqual(expect.arrayContaining(['node_modules/oidc-provider', 'node_modules/jose']));
    // As the Ingress forwards it, terminating TLS: the provider names its endpoints at the public URL.
    const discovery = await fetch(`${url}/oidc/.well-known/openid-configuration`, { headers: { 'x-forwarded-host': 'cc.example.com', 'x-forwarded-proto': 'https' } });
    expect(await discovery.json()).toMatchObject({ issuer: API_ISSUER, token_endpoint: `${API_ISSUER}/token` });
    expect((await fetch(`${url}/v1/tenants/demo/me`)).status).toBe(401);
  });
});

describe('the Asterisk image’s configuration', () => {
  it('loads the modules the test harness’s Asterisk loads, and those with which voicemail’s review plays a take, and no others', () => {
    const harness = renderAsteriskConfig(defaultSites().bj)['modules.conf'];
    const image = readFileSync(join(__dirname, '..', '..', 'docker', 'asterisk', 'config', 'modules.conf'), 'utf8');
    const loads = (text: string | undefined) => (text ?? '').split('\n').filter((line) => /^(load|autoload)\b/.test(line));
    // The harness loads these two only in the tests that play media over HTTP.
    expect(loads(image)).toEqual([...loads(harness), 'load = res_curl.so', 'load = res_http_media_cache.so']);
  });

  it('refuses to start without a site address or with a value that would add configuration lines', () => {
    const env = environmentOf(workload('StatefulSet', 'lianluo-asterisk-bj'), { 'status.podIP': ADDRESS });
    const { ASTERISK_EXTERNAL_ADDRESS: _, ...withoutAddress } = env;
    expect(asterisk.run('render', withoutAddress)).toEqual({ status: 1, output: expect.stringContaining('ASTERISK_EXTERNAL_ADDRESS: required') });
    const injected = asterisk.run('render', { ...env, ASTERISK_ARI_PASSWORD: 'pw\n[evil]\ntype = user' });
    expect(injected).toEqual({ status: 1, output: expect.stringContaining('ASTERISK_ARI_PASSWORD: must be one line') });
  });

  it('runs Debian unstable’s Asterisk with the chart’s environment, serving /metrics and ARI; the media gateway’s bundle becomes ready on it', async () => {
    const asteriskContainer = workload('StatefulSet', 'lianluo-asterisk-bj');
    const asteriskEnv = environmentOf(asteriskContainer, { 'status.podIP': ADDRESS });
    const server = asterisk.start(asteriskEnv);
    running.push(server);
    const metrics = await server.waitFor(`http://${ADDRESS}:${ariPort}${readinessPath(asteriskContainer)}`, 30_000);
    expect(await metrics.text()).toContain('asterisk_channels_count');
    // The trunk is identified by address only: the toll-fraud guard is in place.
    expect(readFileSync(asterisk.renderedPath('pjsip_generated.conf'), 'utf8')).toContain('[trunk]\ntype = identify\nendpoint = trunk\nmatch = 127.0.0.0/24\n');

    const gatewayContainer = workload('Deployment', 'lianluo-media-gateway-bj');
    expect(environmentOf(gatewayContainer).ARI_URL).toBe(`http://lianluo-asterisk-bj:${ariPort}`);
    const { process: gateway, url } = await startBundle('media-gateway', gatewayContainer, {
      // The pod reaches Asterisk through the site's headless Service; here, directly.
      ARI_URL: `http://${ADDRESS}:${ariPort}`,
      RECORDING_DIR: join(workDir, 'recordings'),
    });
    const ready = await gateway.waitFor(`${url}${readinessPath(gatewayContainer)}`, 30_000);
    expect(await ready.json()).toMatchObject({ status: 'ok', details: { 'ari-bj': { status: 'up' }, nats: { status: 'up' } } });
    // Voicemail's review plays a take from its MEDIA_BASE_URL (`sound:http://…`).
    const ari = `Basic ${Buffer.from(`${asteriskEnv.ASTERISK_ARI_USER}:${asteriskEnv.ASTERISK_ARI_PASSWORD}`).toString('base64')}`;
    const mediaCache = await fetch(`http://${ADDRESS}:${ariPort}/ari/asterisk/modules/res_http_media_cache.so`, { headers: { authorization: ari } });
    expect(await mediaCache.json()).toMatchObject({ name: 'res_http_media_cache.so', status: 'Running' });

    // The pod's preStop: no new calls, and Asterisk ends once the current ones have.
    expect(asterisk.run('stop-gracefully', asteriskEnv).status).toBe(0);
    await expect(waitUntil(() => server.exited, 15_000)).resolves.toBe(true);
  });
});

/** The JetStream streams the services made for this run's namespace. */
async function removeStreamsOf(natsNamespace: string): Promise<void> {
  const nc = await connect({ servers: 'nats://127.0.0.1:4222', name: 'deploy-images-cleanup' });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const stream of jsm.streams.list()) names.push(stream.config.name);
    for (const name of names.filter((name) => name.startsWith(`${natsNamespace.toUpperCase()}_`))) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  return waitUntilAsync(async () => condition(), timeoutMs);
}

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return condition();
}
