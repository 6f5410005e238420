import { Redis } from 'ioredis';
import { RoutingStore } from '../services/acd/src/routing/routing-store';
async function stat(r: Redis) {
  const info = await r.info('commandstats');
  const line = info.split('\n').find((l) => l.startsWith('cmdstat_fcall:'));
  return line?.trim();
}
async function main() {
  const n = Number(process.argv[2]);
  const r = new Redis();
  const prefix = `probe${Math.random().toString(36).slice(2, 8)}`;
  const s = new RoutingStore(r, { keyPrefix: prefix });
  await s.defineQueue('t', { queue: 'chat', strategy: 'longest-idle', offerTimeoutMs: 600000 });
  await s.enqueue('t', { contactId: 'w', queue: 'chat', channel: 'chat' });
  await s.cancel('t', 'w');
  for (let f = 0; f < n; f += 2000) await Promise.all(Array.from({ length: Math.min(2000, n - f) }, (_, i) => s.login('t', { agentId: `a${f + i}`, site: 'bj', capacity: { chat: 20 }, queues: ['chat'] })));
  for (let f = 0; f < n; f += 2000) await Promise.all(Array.from({ length: Math.min(2000, n - f) }, (_, i) => s.setReady('t', `a${f + i}`)));
  for (let i = 0; i < 200; i++) await s.enqueue('t', { contactId: `x${i}`, queue: 'chat', channel: 'chat' });
  await r.config('RESETSTAT');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 1500; i++) await s.enqueue('t', { contactId: `c${i}`, queue: 'chat', channel: 'chat' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(n, 'agents', (ms / 1500 * 1000).toFixed(0), 'us/decision wall;', await stat(r));
  let cursor = '0';
  do { const [nx, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000); cursor = nx; if (keys.length) await r.unlink(...keys); } while (cursor !== '0');
  r.disconnect();
}
main();
