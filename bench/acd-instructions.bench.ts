// Instructions Redis executes per ACD routing decision, against a no-op EVALSHA on the same
// server in the same run, counted by valgrind's callgrind. Unlike the timings of
// acd.bench.ts, the count is the same from run to run whatever else the machine does, so
// it shows what a change of the routing scripts costs or saves; acd.bench.ts shows what
// that is worth in time.
//
// A redis-server of its own under callgrind (on a free port, nothing saved), BENCH_AGENTS
// (1,000) agents logged in and ready in one longest-idle queue, as acd.bench.ts sets them up;
// BENCH_DECISIONS (2,000) decisions, each a new chat offered at once, after 200 untimed ones.
// Only the measured operations are counted (callgrind_control zeroes and dumps around
// them), one client with one command in flight.
import { acceptsTcp, freePort, until } from '@lianluo/testing';
import { Redis } from 'ioredis';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoutingStore } from '../services/acd/src/routing/routing-store';
import { decide, withNoop } from './acd/operations';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1_000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 2_000);
const WARM_UP = 200;
const TENANT = 'bench';
const QUEUE = 'chat';

/** The numbered dumps callgrind has written into dir (`callgrind.out.<pid>.<n>`), oldest first. */
function dumpsIn(dir: string): string[] {
  const number = (name: string) => Number(name.slice(name.lastIndexOf('.') + 1));
  return readdirSync(dir)
    .filter((name) => /\.\d+$/.test(name))
    .sort((a, b) => number(a) - number(b));
}

/** Instructions counted since the last zeroing: callgrind dumps them, and the dump's `summary:` line totals them. */
function countSinceZero(redis: ChildProcess, dir: string): number {
  const dumpsBefore = dumpsIn(dir).length;
  execFileSync('callgrind_control', ['--dump', String(redis.pid)], { stdio: 'ignore' });
  const dumps = dumpsIn(dir);
  if (dumps.length !== dumpsBefore + 1) throw new Error(`expected callgrind dump ${dumpsBefore + 1} in ${dir}, found ${dumps.length}`);
  const newest = dumps.at(-1)!;
  const summary = /^summary: (\d+)$/m.exec(readFileSync(join(dir, newest), 'utf8'));
  if (!summary) throw new Error(`no summary line in ${newest}`);
  return Number(summary[1]);
}

async function main() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.log('acd instructions bench: skipped, valgrind is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'acd-instructions-'));
  const port = await freePort();
  const redis = spawn(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'callgrind.out')}`, 'redis-server', '--port', String(port)]
      .concat(['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  redis.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = withNoop(new Redis({ port, host: '127.0.0.1', lazyConnect: true }));
  try {
    // valgrind takes a few seconds to start Redis.
    await until('redis-server under valgrind listens', () => acceptsTcp('127.0.0.1', port)).catch((error: Error) => {
      throw new Error(`${error.message}\n${stderr}`);
    });
    await client.connect();
    const store = new RoutingStore(client, { keyPrefix: 'acdinstructions' });
    await store.defineQueue(TENANT, { queue: QUEUE, strategy: 'longest-idle', offerTimeoutMs: 600_000 });
    // The chat profile exists before the agents log in, so each enrols in it (as in acd.bench.ts).
    await store.enqueue(TENANT, { contactId: 'warm-up', queue: QUEUE, channel: 'chat' });
    await store.cancel(TENANT, 'warm-up');
    for (let i = 0; i < AGENTS; i++) await store.login(TENANT, { agentId: `agent${i}`, site: 'bj', capacity: { chat: 20 }, queues: [QUEUE] });
    for (let i = 0; i < AGENTS; i++) await store.setReady(TENANT, `agent${i}`);
    if (AGENTS * 20 < WARM_UP + DECISIONS) throw new Error(`${AGENTS} agents of 20 chats cannot take ${WARM_UP + DECISIONS} decisions`);
    const base = store.baseKey(TENANT);
    for (let i = 0; i < WARM_UP; i++) {
      await decide(store, TENANT, QUEUE, `warm${i}`);
      await client.benchNoop(base);
    }
    const counted = async (run: (i: number) => Promise<unknown>) => {
      execFileSync('callgrind_control', ['--zero', String(redis.pid)], { stdio: 'ignore' });
      for (let i = 0; i < DECISIONS; i++) await run(i);
      return countSinceZero(redis, dir) / DECISIONS;
    };
    const noop = await counted(() => client.benchNoop(base));
    const decision = await counted((i) => decide(store, TENANT, QUEUE, `c${i}`));
    console.log(`acd instructions bench: Redis's instructions per operation (callgrind), ${DECISIONS} each, ${AGENTS} agents`);
    console.log(`  no-op EVALSHA (baseline)   ${noop.toFixed(0).padStart(9)}`);
    console.log(`  routing decision           ${decision.toFixed(0).padStart(9)}   ${(decision / noop).toFixed(1)}× the no-op`);
  } finally {
    client.disconnect();
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
