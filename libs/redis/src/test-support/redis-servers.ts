// Real Redis processes for this lib's tests: a Sentinel watching the local master, and a
// small Cluster. Each lives in its own temporary directory and is killed by `stop()`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

export interface RedisProcesses {
  readonly ports: number[];
  stop(): Promise<void>;
}

/** Whether nothing listens on `port` of the loopback interface. */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the system just handed out, so almost certainly free. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(taken: number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 25000);
    if (!taken.includes(port) && (await isFree(port)) && (await isFree(port + 10000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

async function startProcess(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));

  // Wait for the server to answer, or for it to die trying. (Not events.once for
  // 'ready': it rejects on the 'error' of each refused attempt before the server listens.)
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 20, maxRetriesPerRequest: null });
  probe.on('error', () => undefined);
  let onExit: ((code: number | null) => void) | undefined;
  const exited = new Promise<never>((_, reject) => {
    onExit = (code) => reject(new Error(`redis-server ${args.join(' ')} exited with ${String(code)}:\n${output}`));
    child.once('exit', onExit);
  });
  try {
    probe.connect().catch(() => undefined);
    await Promise.race([new Promise((resolve) => probe.once('ready', resolve)), exited]);
  } catch (error) {
    await stopProcess(child);
    throw error;
  } finally {
    if (onExit) child.off('exit', onExit);
    probe.disconnect();
  }
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** A Sentinel on a free port monitoring the master at 127.0.0.1:`masterPort` as `masterName`. */
export async function startSentinel(masterName: string, masterPort: number): Promise<RedisProcesses> {
  const dir = await mkdtemp(join(tmpdir(), 'lianluo-sentinel-'));
  const port = await freePort();
  const configFile = join(dir, 'sentinel.conf');
  await writeFile(
    configFile,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
      // The shared local master must never be failed over by a test.
      `sentinel down-after-milliseconds ${masterName} 600000`,
      '',
    ].join('\n'),
  );
  const child = await startProcess([configFile, '--sentinel'], port);
  return {
    ports: [port],
    async stop() {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `size` empty master nodes on free ports, joined into one cluster covering every slot. */
export async function startCluster(size: number): Promise<RedisProcesses> {
  const dir = await mkdtemp(join(tmpdir(), 'lianluo-cluster-'));
  const ports: number[] = [];
  for (let node = 0; node < size; node++) ports.push(await freeClusterPort(ports));

  const children = await Promise.all(
    ports.map((port) =>
      startProcess(
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout', '2000',
          '--save', '',
          '--appendonly', 'no',
          '--dir', dir,
        ],
        port,
      ),
    ),
  );
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await promisify(execFile)('redis-cli', [
      '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes',
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop };
}
