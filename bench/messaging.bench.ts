// Cost of libs/messaging over bare NATS, measured in the same run on the same server:
// a typed, validated, traced command round trip against a raw request/reply echo, and a
// typed event publish against a raw JetStream publish. Printed as ratios (lower is better).
import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AnswerCallResultSchema, AnswerCallSchema, CallAnsweredSchema, CallCommands, CallEvents } from '@lianluo/contracts';
import { CommandClient, CommandServer, EventPublisher, MessagingConnection, streamNameOf } from '@lianluo/messaging';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2_000);

async function timed(label: string, rounds: number, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, rounds); i++) await run(-1 - i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await run(i);
  const perOpUs = Number(process.hrtime.bigint() - started) / 1e3 / rounds;
  console.log(`  ${label.padEnd(38)} ${perOpUs.toFixed(1).padStart(8)} µs/op`);
  return perOpUs;
}

async function main() {
  const namespace = `bench${Math.random().toString(36).slice(2, 8)}`;
  const connection = await MessagingConnection.connect({
    servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    namespace,
    connectionName: 'bench',
    queueGroup: 'bench',
  });
  const nc = connection.nc;
  try {
    console.log(`messaging bench: ${ROUNDS} sequential operations each, namespace ${namespace}`);
    const echo = nc.subscribe(`${namespace}.raw.echo`, { callback: (_e, m) => m.respond(m.data) });
    const server = new CommandServer(connection);
    server.serve(CallCommands.answer, () => create(AnswerCallResultSchema));
    const client = new CommandClient(connection);
    const request = create(AnswerCallSchema, { commandId: 'b', call: { tenant: 'bench', site: 'bj', callId: 'c' } });
    const payload = new Uint8Array(32);

    const rawRequest = await timed('raw NATS request/reply (baseline)', ROUNDS, () => nc.request(`${namespace}.raw.echo`, payload, { timeout: 2_000 }));
    const command = await timed('CommandClient → CommandServer', ROUNDS, () => client.request(CallCommands.answer, request, { timeoutMs: 2_000 }));

    await connection.ensureStream('call');
    const publisher = new EventPublisher(connection);
    const rawPublish = await timed('raw JetStream publish (baseline)', ROUNDS, (i) =>
      connection.js.publish(`${namespace}.bench.call.event.raw`, payload, { msgID: `raw-${i}` }),
    );
    const typedPublish = await timed('EventPublisher.publish', ROUNDS, (i) =>
      publisher.publish(
        CallEvents.answered,
        create(CallAnsweredSchema, { eventId: `e-${i}`, call: { tenant: 'bench', site: 'bj', callId: 'c' }, occurredAt: timestampNow() }),
      ),
    );

    console.log(`  command round trip / raw request      ${(command / rawRequest).toFixed(2)}×`);
    console.log(`  typed publish / raw JetStream publish ${(typedPublish / rawPublish).toFixed(2)}×`);
    echo.unsubscribe();
    await server.stop();
  } finally {
    await connection.jsm.streams.delete(streamNameOf(namespace, 'call')).catch(() => undefined);
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
