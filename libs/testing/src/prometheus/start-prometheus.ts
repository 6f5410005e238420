import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../infra/free-port';
import { spawnOwned } from '../process/spawn-owned';

/** One Prometheus job: targets as `host:port`, with labels added to every series they give. */
export interface ScrapeJob {
  readonly job: string;
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly metricsPath?: string;
}

/** The result of an instant query through Prometheus's HTTP API. */
export interface PromQueryResult {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
}

/** A real Prometheus server (Debian's `prometheus`), scraping every second. */
export interface PrometheusServer {
  readonly url: string;
  query(expr: string): Promise<PromQueryResult>;
  /** Every metric name Prometheus has stored samples of. */
  metricNames(): Promise<Set<string>>;
  /** Resolves once every target answered a scrape. */
  targetsUp(): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((path) => existsSync(path));

function scrapeConfig(jobs: readonly ScrapeJob[]): string {
  // YAML is a superset of JSON: no YAML library needed.
  return JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    scrape_configs: jobs.map((job) => ({
      job_name: job.job,
      metrics_path: job.metricsPath ?? '/metrics',
      static_configs: [{ targets: job.targets, labels: job.labels ?? {} }],
    })),
  });
}

/** Starts Prometheus on a free loopback port with its own storage folder, deleted by `stop()`. */
export async function startPrometheus(jobs: readonly ScrapeJob[]): Promise<PrometheusServer> {
  if (!BINARY) throw new Error("prometheus is not installed; run 'bash scripts/provision.sh'");
  const dir = await mkdtemp(join(tmpdir(), 'lianluo-prometheus-'));
  await writeFile(join(dir, 'prometheus.yml'), scrapeConfig(jobs));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawnOwned(
    BINARY,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T;
  const poll = async (what: string, ready: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await ready().catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`prometheus: ${what} within ${timeoutMs} ms:\n${output}`);
      await sleep(100);
    }
  };
  await poll('ready', async () => (await fetch(`${url}/-/ready`)).ok, 30_000);

  return {
    url,
    query: (expr) => api<PromQueryResult>(`/api/v1/query?query=${encodeURIComponent(expr)}`),
    metricNames: async () => new Set((await api<{ data: string[] }>('/api/v1/label/__name__/values')).data),
    targetsUp: () =>
      poll(
        'every target up',
        async () => {
          const targets = await api<{ data: { activeTargets: { health: string }[] } }>('/api/v1/targets');
          return targets.data.activeTargets.length > 0 && targets.data.activeTargets.every((target) => target.health === 'up');
        },
        30_000,
      ),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's `prometheus-redis-exporter` for the local Redis, on a free loopback port. */
export async function startRedisExporter(redisUrl = 'redis://127.0.0.1:6379'): Promise<{ readonly target: string; stop(): Promise<void> }> {
  const binary = ['/usr/bin/prometheus-redis-exporter'].find((path) => existsSync(path));
  if (!binary) throw new Error("prometheus-redis-exporter is not installed; run 'bash scripts/provision.sh'");
  const port = await freePort();
  const child = spawnOwned(binary, [`--redis.addr=${redisUrl}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const target = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (!(await fetch(`http://${target}/metrics`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`prometheus-redis-exporter did not start on ${target}`);
    await sleep(50);
  }
  return {
    target,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
