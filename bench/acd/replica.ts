// One acd replica of bench/acd.bench.ts in a process of its own (the bench's default mode):
// its own Redis connection and event loop, one command in flight, as a deployed replica
// has. The parent sends it rounds; it answers with each operation's latency.
import { Redis } from 'ioredis';
import { RoutingStore } from '../../services/acd/src/routing/routing-store';
import { decide, withNoop } from './operations';

export interface ReplicaRound {
  readonly prefix: string;
  readonly tenant: string;
  readonly queue: string;
  readonly kind: 'noop' | 'decision';
  /** How many no-ops, or the ids of the contacts to queue (each must be offered at once). */
  readonly count: number;
  readonly contactIds: readonly string[];
}

export interface ReplicaResult {
  readonly latenciesUs: number[];
  readonly elapsedS: number;
  readonly error?: string;
}

const client = withNoop(new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { connectionName: `acd-bench-replica-${process.pid}` }));
const stores = new Map<string, RoutingStore>();

async function run(round: ReplicaRound): Promise<ReplicaResult> {
  let store = stores.get(round.prefix);
  if (!store) stores.set(round.prefix, (store = new RoutingStore(client, { keyPrefix: round.prefix })));
  const base = store.baseKey(round.tenant);
  const latenciesUs: number[] = [];
  const started = process.hrtime.bigint();
  const total = round.kind === 'noop' ? round.count : round.contactIds.length;
  for (let i = 0; i < total; i++) {
    const t0 = process.hrtime.bigint();
    if (round.kind === 'noop') await client.benchNoop(base);
    else await decide(store, round.tenant, round.queue, round.contactIds[i]!);
    latenciesUs.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  return { latenciesUs, elapsedS: Number(process.hrtime.bigint() - started) / 1e9 };
}

// The bench gone (it failed, or was stopped) is the end of its replicas too; otherwise they
// would wait for rounds forever, holding the terminal of whoever ran the bench.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);

process.on('message', (round: ReplicaRound | 'stop') => {
  if (round === 'stop') {
    void client.quit().then(() => process.exit(0));
    return;
  }
  run(round).then(
    (result) => process.send!(result),
    (error: Error) => process.send!({ latenciesUs: [], elapsedS: 0, error: error.message } satisfies ReplicaResult),
  );
});
