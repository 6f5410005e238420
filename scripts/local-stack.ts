// `npm start` after provisioning and build: both sites' Asterisk, a media gateway per site,
// acd, ivr, voicemail and reporting as child processes on the machine's NATS, Redis and
// PostgreSQL, with the demo centre set up; prints how to call in; Ctrl-C stops everything.
// LIANLUO_NAMESPACE, LIANLUO_PORTS=free and LIANLUO_STATE_DIR start a second stack beside
// the first (see local-stack/stack-settings.ts).
import { MessagingConnection } from '@lianluo/messaging';
import { type AsteriskInstance, type Sites, defaultSites, ensureLocalInfra, freePort, startSites } from '@lianluo/testing';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureDatabases } from './local-stack/databases';
import { DEMO_ACD_FILE, DEMO_FLOWS_DIR, demoAgents, loadDemoCallers, readyDemoAgents } from './local-stack/demo-centre';
import { type RunningStack, findRunningStack, removeRunningStack, writeRunningStack } from './local-stack/running-stack';
import { ServiceChild } from './local-stack/service-child';
import { ensureServiceKeys, stackSigner } from './local-stack/stack-service-keys';
import { stackPrintout } from './local-stack/stack-printout';
import { DATABASE_SERVICES, type DatabaseService, FIXED_HTTP_PORTS, NATS_URL, POSTGRES_URL, SERVICES, type ServiceName, type StackSettings, TENANT, databaseOf, stackSettings } from './local-stack/stack-settings';
import { DEMO_USERS_FILE, apiIdentityEnv, demoUsers } from './local-stack/demo-people';

const root = resolve(__dirname, '..');
/** Migrations and the first connections take seconds; a service not ready after this will not be. */
const READY_TIMEOUT_MS = 90_000;
/** Services get this long to finish what they are doing after SIGTERM, then are killed. */
const STOP_GRACE_MS = 10_000;
const ASTERISK_WATCH_MS = 1_000;

class LocalStack {
  private readonly services = new Map<ServiceName, ServiceChild>();
  private sitesStarting: Promise<Sites> | undefined;
  private connection: MessagingConnection | undefined;
  private asteriskWatch: NodeJS.Timeout | undefined;
  private shutdown: Promise<void> | undefined;
  /** Only the stack that wrote stack.json removes it (not a second one that failed to start). */
  private wroteStackFile = false;

  constructor(private readonly settings: StackSettings) {}

  private get logsDir(): string {
    return join(this.settings.stateDir, 'logs');
  }

  private get recordingsDir(): string {
    return join(this.settings.stateDir, 'recordings');
  }

  get stopping(): boolean {
    return this.shutdown !== undefined;
  }

  async start(): Promise<void> {
    const { namespace, ports } = this.settings;
    await ensureLocalInfra();
    await mkdir(this.logsDir, { recursive: true });
    await mkdir(this.recordingsDir, { recursive: true });
    await this.refuseSecondStack();
    console.log(`starting Lianluo: Asterisk bj and sz, a media gateway each, acd, ivr, voicemail, reporting, api (namespace ${namespace})…`);

    this.sitesStarting = startSites(ports === 'fixed' ? { runId: 'local', fixedPorts: true } : {});
    const sites = await this.sitesStarting.catch((error: Error) => {
      const hint = ports === 'fixed' ? '\nSIP 5060 and ARI 8088 on 127.0.1.1 and 127.0.2.1 must be free.' : '';
      throw new Error(`could not start Asterisk: ${error.message}${hint}`);
    });
    this.throwIfStopping();
    this.watchAsterisk(sites);

    const httpPorts = await this.httpPorts();
    const voicemailUrl = `http://127.0.0.1:${httpPorts.voicemail}`;
    // Voicemail's review plays a take back from voicemail's HTTP server (sound:http://…).
    const mediaCache = await Promise.all([sites.bj, sites.sz].map((site) => loadHttpMediaCache(site)));
    await ensureDatabases(POSTGRES_URL, DATABASE_SERVICES.map((service) => databaseOf(namespace, service)));
    this.throwIfStopping();

    const recordings = { RECORDING_STORE: 'local', RECORDING_DIR: this.recordingsDir };
    // The services with routes of their own answer only api's identity: here, the stack's key.
    const serviceKeys = await ensureServiceKeys(this.settings.stateDir);
    const serviceAuth = { SERVICE_AUTH_PUBLIC_KEYS: JSON.stringify(serviceKeys.publicJwks) };
    const database = (service: DatabaseService) => ({ DATABASE_URL: `${POSTGRES_URL}/${databaseOf(namespace, service)}`, DATABASE_POOL_SIZE: '4' });
    for (const [name, site] of [['media-gateway-bj', sites.bj], ['media-gateway-sz', sites.sz]] as const) {
      this.startService(name, 'media-gateway', httpPorts[name], {
        SITE: site.site.name,
        ARI_URL: site.ariUrl,
        ARI_USER: site.ariUser,
        ARI_PASSWORD: site.ariPassword,
        ARI_APP: site.site.stasisApp,
        DEFAULT_TENANT: TENANT,
        ...recordings,
      });
    }
    this.startService('acd', 'acd', httpPorts.acd, { ...database('acd'), ...serviceAuth, REDIS_KEY_PREFIX: namespace, ACD_CONFIG_FILE: DEMO_ACD_FILE });
    this.startService('ivr', 'ivr', httpPorts.ivr, { ...database('ivr'), ...serviceAuth, FLOWS_DIR: DEMO_FLOWS_DIR, SHUTDOWN_GRACE_MS: '3000' });
    this.startService('voicemail', 'voicemail', httpPorts.voicemail, {
      ...database('voicemail'),
      ...serviceAuth,
      ...recordings,
      ...(mediaCache.every(Boolean) ? { MEDIA_BASE_URL: voicemailUrl } : {}),
      SHUTDOWN_GRACE_MS: '3000',
    });
    this.startService('reporting', 'reporting', httpPorts.reporting, { ...database('reporting'), ...serviceAuth, REPORT_TIME_ZONE: 'Asia/Shanghai' });
        const apiUrl = `http://127.0.0.1:${httpPorts.api}`;
    this.startService('api', 'api', httpPorts.api, {
      ...database('api'),
      ...(await apiIdentityEnv(this.settings.stateDir, apiUrl)),
      API_SEED_FILE: DEMO_USERS_FILE,
      SERVICE_AUTH_PRIVATE_KEY: JSON.stringify(serviceKeys.privateJwk),
      ACD_URL: `http://127.0.0.1:${httpPorts.acd}`,
      IVR_URL: `http://127.0.0.1:${httpPorts.ivr}`,
      VOICEMAIL_URL: voicemailUrl,
      REPORTING_URL: `http://127.0.0.1:${httpPorts.reporting}`,
    });
    await Promise.all([...this.services.values()].map((service) => service.waitUntilReady(READY_TIMEOUT_MS)));
    this.throwIfStopping();

    // The demo centre: acd imported demo-acd.yaml at start-up; the ivr learns its callers
    // (as api would pass on a CRM sync); the agents log in and get ready, as their desktops will do.
    await loadDemoCallers(this.service('ivr').url, stackSigner(serviceKeys));
    this.connection = await MessagingConnection.connect({ servers: NATS_URL, namespace, connectionName: 'local-stack', queueGroup: 'local-stack' });
    const agents = await demoAgents();
    const agentProblems = await readyDemoAgents(this.connection, agents);
    this.throwIfStopping();

    const stack: RunningStack = {
      pid: process.pid,
      namespace,
      tenant: TENANT,
      natsUrl: NATS_URL,
      sites: {
        bj: { sipTarget: sites.bj.sipTarget, ariUrl: sites.bj.ariUrl, asteriskPid: sites.bj.pid ?? 0 },
        sz: { sipTarget: sites.sz.sipTarget, ariUrl: sites.sz.ariUrl, asteriskPid: sites.sz.pid ?? 0 },
      },
      services: Object.fromEntries(SERVICES.map((name) => [name, { url: this.service(name).url, pid: this.service(name).pid }])) as RunningStack['services'],
    };
    await writeRunningStack(this.settings.stateDir, stack);
    this.wroteStackFile = true;
    const printout = stackPrintout({
      settings: this.settings,
      stack,
      sites: { bj: sites.bj.site, sz: sites.sz.site },
      asteriskLogs: { bj: sites.bj.logFile, sz: sites.sz.logFile },
      agents,
      agentProblems,
      people: await demoUsers(),
    });
    console.log(printout + (mediaCache.every(Boolean) ? '' : '  (Asterisk could not load res_http_media_cache: voicemail review offers no listening.)\n'));
  }

  /** Stops everything, services before Asterisk; every call after the first gets the same promise. */
  stop(): Promise<void> {
    this.shutdown ??= this.stopAll().catch((error: Error) => {
      console.error(`while stopping: ${error.message}`);
      process.exitCode = 1;
    });
    return this.shutdown;
  }

  /** Reports why the stack cannot go on, stops it and exits with 1. */
  async fail(why: string | Promise<string>): Promise<void> {
    if (this.stopping) return;
    const stopped = this.stop();
    console.error(await why);
    if (this.sitesStarting) console.error('stopping what was started');
    await stopped;
    process.exit(1);
  }

  /**
   * Ctrl-C or SIGTERM: stop. A signal while stopping changes nothing: one key press often
   * arrives twice (from the terminal, and relayed by tsx), and stopping is bounded anyway.
   */
  async interrupt(): Promise<void> {
    if (this.stopping) return;
    console.log('\nstopping…');
    await this.stop();
    if (process.exitCode) process.exit();
    console.log('stopped: every service and both Asterisk sites have exited.');
    process.exit(0);
  }

  private async stopAll(): Promise<void> {
    clearInterval(this.asteriskWatch);
    await Promise.all([...this.services.values()].map((service) => service.stop(STOP_GRACE_MS)));
    await this.connection?.close();
    const sites = await this.sitesStarting?.catch(() => undefined);
    // The fixed layout's folders (local-bj, local-sz) are reused by the next npm start.
    if (sites) await (this.settings.ports === 'fixed' ? sites.stop() : sites.remove());
    if (this.wroteStackFile) await removeRunningStack(this.settings.stateDir);
  }

  private startService(name: ServiceName, project: string, httpPort: number, env: Record<string, string>): void {
    this.throwIfStopping();
    const service = ServiceChild.start(
      name,
      resolve(root, 'services', project, 'dist', 'main.js'),
      {
        NATS_URL,
        NATS_NAMESPACE: this.settings.namespace,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        ...env,
      },
      join(this.logsDir, `${name}.log`),
    );
    this.services.set(name, service);
    void service.exited.then(async ({ code, signal, error }) => {
      if (this.stopping) return;
      if (error !== undefined) return this.fail(`${name} could not be started: ${error}`);
      await this.fail(service.logTail().then((tail) => `${name} exited (${signal ?? `code ${code}`}); the end of ${service.logFile}:\n${tail}`));
    });
  }

  private service(name: ServiceName): ServiceChild {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} was not started`);
    return service;
  }

  /** Asterisk gives no exit event to wait for: look every second. */
  private watchAsterisk(sites: Sites): void {
    this.asteriskWatch = setInterval(() => {
      const gone = [sites.bj, sites.sz].find((site) => !site.isRunning);
      if (gone && !this.stopping) void this.fail(asteriskLogTail(gone).then((tail) => `Asterisk ${gone.site.name} exited; the end of ${gone.logFile}:\n${tail}`));
    }, ASTERISK_WATCH_MS);
  }

  private async httpPorts(): Promise<Record<ServiceName, number>> {
    if (this.settings.ports === 'fixed') return { ...FIXED_HTTP_PORTS };
    const ports: number[] = [];
    for (const _ of SERVICES) ports.push(await freePort('127.0.0.1', ports));
    return Object.fromEntries(SERVICES.map((name, i) => [name, ports[i] as number])) as Record<ServiceName, number>;
  }

  /**
   * Starting Asterisk rewrites, and on failure deletes, the instance folders of the fixed
   * layout (local-bj, local-sz): refuse before that when they may be in use.
   */
  private async refuseSecondStack(): Promise<void> {
    const running = await findRunningStack(this.settings.stateDir);
    if (running) throw new Error(`a stack is already running from ${this.settings.stateDir} (pid ${running.pid}): stop it first (Ctrl-C where it runs)`);
    if (this.settings.ports !== 'fixed') return;
    for (const { name, address, httpPort } of Object.values(defaultSites())) {
      if (await acceptsTcp(address, httpPort)) {
        throw new Error(`${address}:${httpPort} (ARI of site ${name}) is in use: is another \`npm start\` running? Stop it first, or start this one with LIANLUO_PORTS=free, LIANLUO_NAMESPACE and LIANLUO_STATE_DIR of its own.`);
      }
    }
  }

  private throwIfStopping(): void {
    if (this.stopping) throw new Error('stopped during start-up');
  }
}

/** Loads the modules with which Asterisk plays `sound:http://…`; false when it could not. */
async function loadHttpMediaCache(site: AsteriskInstance): Promise<boolean> {
  // Its defaults are right; without the file it logs an ERROR that misleads whoever reads the log.
  await writeFile(join(site.hostDir, 'etc', 'asterisk', 'res_http_media_cache.conf'), '; written by npm start: the defaults\n[general]\n');
  for (const module of ['res_curl.so', 'res_http_media_cache.so']) {
    const output = await site.cli(`module load ${module}`);
    if (!/Loaded /.test(output)) return false;
  }
  return true;
}

function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = new Socket();
    const done = (accepted: boolean) => {
      socket.destroy();
      resolveProbe(accepted);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

async function asteriskLogTail(site: AsteriskInstance): Promise<string> {
  const text = await readFile(site.logFile, 'utf8').catch(() => '');
  return text
    .trimEnd()
    .split('\n')
    .slice(-15)
    .map((line) => `    ${line}`)
    .join('\n');
}

async function main(): Promise<void> {
  let settings: StackSettings;
  try {
    settings = stackSettings();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const stack = new LocalStack(settings);
  process.on('SIGINT', () => void stack.interrupt());
  process.on('SIGTERM', () => void stack.interrupt());
  try {
    await stack.start();
  } catch (error) {
    await stack.fail((error as Error).message);
  }
}

void main();
