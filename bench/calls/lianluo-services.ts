// Our side of the calls bench: every service on the call's path as its own process, from its
// build (dist/main.js), as in production: a media gateway per site, acd and ivr, on a NATS
// namespace, Redis key prefix and databases of the run's own. acd gets one queue per site
// and that site's agents, logged in and ready; the ivr one flow per queue, straight to it.
import { type DescMessage, create } from '@bufbuild/protobuf';
import { AcdCommands, AgentKind, type CommandDefinition, ErrorKind, Strategy } from '@lianluo/contracts';
import { CommandClient, MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { type Sites, ServiceProcess, TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, freePort, serviceAuthEnv } from '@lianluo/testing';
import { Redis } from 'ioredis';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SiteName } from './app-queue-baseline';
import { childPidServing } from './process-usage';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? TEST_POSTGRES_SERVER;
const TENANT = 'demo'; // the tenant both sites give their calls (LIANLUO_TENANT)
const SERVICES_DIR = resolve(__dirname, '..', '..', 'services');

/** Numbers our ivr answers: each one's flow queues the call straight into that site's queue. */
export const LIANLUO_NUMBERS: Readonly<Record<SiteName, string>> = { bj: '7000', sz: '7001' };

export const lianluoQueueName = (site: SiteName) => `bench-${site}`;

export interface BenchAgent {
  readonly agentId: string;
  readonly site: SiteName;
  readonly extension: string;
}

/** A flow that only queues: no prompt, no menu, no caller lookup; the first announcement after ten minutes. */
function renderFlow(site: SiteName): string {
  return [
    `tenant: ${TENANT}`,
    `numbers: ["${LIANLUO_NUMBERS[site]}"]`,
    'start: queue',
    'steps:',
    `  queue: { type: queue, queue: ${lianluoQueueName(site)}, announce_every_ms: 600000 }`,
    '',
  ].join('\n');
}

export interface RunningService {
  readonly name: string;
  /** Its dist/main.js. */
  readonly main: string;
  process: ServiceProcess;
  pid: number;
}

export class LianluoServices {
  private constructor(
    readonly namespace: string,
    readonly services: readonly RunningService[],
    private readonly connection: MessagingConnection,
    private readonly scratchDir: string,
  ) {}

  /**
   * Starts the services, waits until each is ready, then configures queues and agents. With
   * `profileDir`, each service loads cpu-profiler.js and toggleProfilers() brackets a phase.
   */
  static async start(namespace: string, sites: Sites, agents: readonly BenchAgent[], logLevel: string, profileDir?: string): Promise<LianluoServices> {
    const scratchDir = await mkdtemp(join(tmpdir(), 'lianluo-calls-bench-'));
    const flowsDir = join(scratchDir, 'flows');
    await mkdir(flowsDir);
    for (const site of ['bj', 'sz'] as const) await writeFile(join(flowsDir, `${lianluoQueueName(site)}.yaml`), renderFlow(site));
    await Promise.all([createTestDatabase(`${namespace}_acd`, POSTGRES), createTestDatabase(`${namespace}_ivr`, POSTGRES)]);

    const common = async () => ({ NATS_URL, NATS_NAMESPACE: namespace, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(await freePort()), LOG_LEVEL: logLevel });
    const profiling = (name: string): Record<string, string> =>
      profileDir ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profiler.js')}`, BENCH_CPU_PROFILE_PREFIX: join(profileDir, name) } : {};
    const gateway = async (site: SiteName) => ({
      ...(await common()),
      SITE: site,
      ARI_URL: sites[site].ariUrl,
      ARI_USER: sites[site].ariUser,
      ARI_PASSWORD: sites[site].ariPassword,
      ARI_APP: sites[site].site.stasisApp,
      RECORDING_STORE: 'local',
      RECORDING_DIR: join(scratchDir, 'recordings'),
    });
    const database = (name: string) => ({ DATABASE_URL: `${POSTGRES}/${namespace}_${name}`, DATABASE_POOL_SIZE: '4' });
    const specs: [string, string, Record<string, string>][] = [
      ['media-gateway-bj', 'media-gateway', await gateway('bj')],
      ['media-gateway-sz', 'media-gateway', await gateway('sz')],
      ['acd', 'acd', { ...(await common()), ...database('acd'), ...serviceAuthEnv(), REDIS_URL, REDIS_KEY_PREFIX: namespace }],
      ['ivr', 'ivr', { ...(await common()), ...database('ivr'), ...serviceAuthEnv(), FLOWS_DIR: flowsDir }],
    ];
    const services: RunningService[] = [];
    const connection = await MessagingConnection.connect({ servers: NATS_URL, namespace, connectionName: 'calls-bench', queueGroup: 'calls-bench' });
    const running = new LianluoServices(namespace, services, connection, scratchDir);
    try {
      await Promise.all(
        specs.map(async ([name, project, env]) => {
          const main = join(SERVICES_DIR, project, 'dist', 'main.js');
          // Listed before it starts: a service that never gets ready is still stopped by remove().
          const entry: RunningService = { name, main, process: new ServiceProcess(main, { ...env, ...profiling(name) }), pid: 0 };
          services.push(entry);
          await startProcess(entry);
        }),
      );
      await running.configure(agents);
    } catch (error) {
      await running.remove();
      throw error;
    }
    return running;
  }

  /** Starts, or ends and writes, every service's CPU profile (with a profileDir at start). */
  toggleProfilers(): void {
    // A service that died meanwhile is reported (and started again) after the phase.
    for (const service of this.services.filter((running) => isAlive(running.pid))) process.kill(service.pid, 'SIGWINCH');
  }

  /** Each service's /metrics text, by service name. */
  async metrics(): Promise<Record<string, string>> {
    const texts = await Promise.all(this.services.map((service) => fetch(`${service.process.url}/metrics`).then((response) => response.text(), () => '')));
    return Object.fromEntries(this.services.map((service, i) => [service.name, texts[i] ?? '']));
  }

  /**
   * Starts again, with the same environment, every service that is no longer running;
   * returns each one's name and the end of its output (why it died).
   */
  async restartExited(): Promise<{ name: string; lastOutput: string }[]> {
    const restarted: { name: string; lastOutput: string }[] = [];
    for (const service of this.services.filter((running) => !isAlive(running.pid))) {
      restarted.push({ name: service.name, lastOutput: service.process.logs.slice(-3_000) });
      service.process = new ServiceProcess(service.main, service.process.env);
      await startProcess(service);
    }
    return restarted;
  }

  /** Stops the services and removes the streams, keys and databases of the namespace. */
  async remove(): Promise<void> {
    await Promise.all(this.services.map((service) => service.process.stop()));
    await deleteNamespaceStreams(this.connection);
    await this.connection.close();
    const redis = new Redis(REDIS_URL, { connectionName: 'calls-bench-cleanup' });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.namespace}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    for (const name of ['acd', 'ivr']) await dropTestDatabase(`${this.namespace}_${name}`, POSTGRES);
    await rm(this.scratchDir, { recursive: true, force: true });
  }

  /** A queue per site (longest idle, no wrap-up) and its agents, logged in and ready, idle longest in the order given. */
  private async configure(agents: readonly BenchAgent[]): Promise<void> {
    const client = new CommandClient(this.connection);
    let commands = 0;
    const send = async (definition: CommandDefinition<DescMessage, DescMessage>, fields: Record<string, unknown>) => {
      const request = create(definition.request, { ...fields, commandId: `calls-bench-${++commands}`, tenant: TENANT } as never);
      const outcome = await client.request(definition, request, { timeoutMs: 10_000 });
      if (!outcome.ok) throw new Error(`${definition.name}: ${ErrorKind[outcome.error.kind]} ${outcome.error.field} ${outcome.error.message}`);
    };
    for (const site of ['bj', 'sz'] as const) {
      await send(AcdCommands.upsertQueue, { queue: { queue: lianluoQueueName(site), strategy: Strategy.LONGEST_IDLE, offerTimeoutMs: 15_000, wrapUpMs: 0 } });
    }
    for (const agent of agents) {
      await send(AcdCommands.upsertAgent, {
        agent: {
          agentId: agent.agentId,
          site: agent.site,
          kind: AgentKind.AGENT,
          phone: { case: 'extension', value: agent.extension },
          capacity: { voice: 1 },
          queues: [lianluoQueueName(agent.site)],
        },
      });
      await send(AcdCommands.loginAgent, { agentId: agent.agentId });
      await send(AcdCommands.setAgentReady, { agentId: agent.agentId });
    }
  }
}

/** Starts a service's process, waits until it is ready and finds its pid. */
async function startProcess(service: RunningService): Promise<void> {
  await service.process.start();
  const pid = childPidServing(service.main, service.process.env.HTTP_PORT as string);
  if (pid === undefined) throw new Error(`${service.name} is ready but its process was not found under ${process.pid}`);
  service.pid = pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
