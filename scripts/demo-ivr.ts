// A stand-in for the ivr service while it does not exist: answers every call, plays a
// greeting, collects up to four digits (# ends), reads them back and hangs up. It uses
// nothing but the public call events and commands on NATS, as the ivr service will.
import { create } from '@bufbuild/protobuf';
import { type CallRef, CallCommands, CallEvents, type CallStarted } from '@lianluo/contracts';
import { CommandClient, EventConsumer, type MessagingConnection } from '@lianluo/messaging';

export async function startDemoIvr(connection: MessagingConnection): Promise<EventConsumer> {
  const client = new CommandClient(connection);
  const command = <T>(what: string, outcome: Promise<{ ok: boolean; error?: { message: string } } & T>) =>
    outcome.then((o) => {
      if (!o.ok) throw new Error(`${what}: ${o.error?.message}`);
      return o;
    });
  const consumer = new EventConsumer(connection, {
    durable: 'demo-ivr',
    definitions: [CallEvents.started],
    handler: async (message) => {
      const call = (message as CallStarted).call as CallRef;
      const id = (step: string) => `${call.callId}:demo:${step}`;
      console.log(`demo-ivr: call ${call.callId} from ${(message as CallStarted).ani} to ${(message as CallStarted).dnis} at ${call.site}`);
      void (async () => {
        await command('answer', client.request(CallCommands.answer, create(CallCommands.answer.request, { commandId: id('answer'), call }), { timeoutMs: 5_000 }));
        await command('play', client.request(CallCommands.play, create(CallCommands.play.request, { commandId: id('hello'), call, media: ['sound:hello-world'], interruptible: true }), { timeoutMs: 5_000 }));
        const collected = await command(
          'collect',
          client.request(
            CallCommands.collectDigits,
            create(CallCommands.collectDigits.request, { commandId: id('collect'), call, maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 8_000, interDigitTimeoutMs: 3_000 }),
            { timeoutMs: 30_000 },
          ),
        );
        const digits = (collected as { value?: { digits: string } }).value?.digits ?? '';
        console.log(`demo-ivr: call ${call.callId} keyed "${digits}"`);
        if (digits) {
          await command('play', client.request(CallCommands.play, create(CallCommands.play.request, { commandId: id('readback'), call, media: [`digits:${digits}`] }), { timeoutMs: 5_000 }));
          await new Promise((resolve) => setTimeout(resolve, 700 * digits.length + 500));
        }
        await command('hang up', client.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: id('hangup'), call }), { timeoutMs: 5_000 }));
      })().catch((error: Error) => console.log(`demo-ivr: call ${call.callId}: ${error.message}`));
    },
  });
  await consumer.start();
  return consumer;
}
