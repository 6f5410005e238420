// What the media gateway's end-to-end tests share: gateways in-process or as a child
// process (to kill -9), and call commands with fresh command ids.
import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { loadConfig } from '@lianluo/config';
import { type CallRef, type CallStarted, type CommandDefinition, type ResultOf } from '@lianluo/contracts';
import { CommandClient, type CommandOutcome, MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { type AsteriskInstance, ServiceProcess, freePort } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AriConnection } from '../src/ari/ari-connection';
import { startMediaGateway } from '../src/media-gateway.app';
import { mediaGatewayConfigSchema } from '../src/media-gateway.config';
import { CallEventsRecorder } from './call-events.recorder';

/** Asterisk's own RTP counters for a channel (ARI rtp_statistics). */
async function rtpOf(site: AsteriskInstance, channelId: string): Promise<{ txcount: number; rxcount: number } | undefined> {
  const auth = 'Basic ' + Buffer.from(`${site.ariUser}:${site.ariPassword}`).toString('base64');
  const response = await fetch(`${site.ariUrl}/ari/channels/${channelId}/rtp_statistics`, { headers: { authorization: auth } });
  return response.ok ? ((await response.json()) as { txcount: number; rxcount: number }) : undefined;
}

/** A channel's RTP counters once packets went both ways, or as they stand after 5 s. */
export async function rtpBothWays(site: AsteriskInstance, channelId: string): Promise<{ txcount: number; rxcount: number } | undefined> {
  let stats = await rtpOf(site, channelId);
  for (let i = 0; i < 100 && !(stats && stats.rxcount > 0 && stats.txcount > 0); i++) {
    await sleep(50);
    stats = await rtpOf(site, channelId);
  }
  return stats;
}

/** How many calls a SIPp phone was offered: the distinct Call-IDs of the INVITEs in its message log. */
export function invitedCalls(messages: string): number {
  return new Set([...messages.matchAll(/^INVITE [\s\S]*?^Call-ID:\s*(\S+)/gim)].map((match) => match[1])).size;
}

/** The environment a gateway for this site needs; `extra` adds or overrides variables. */
export async function gatewayEnv(site: AsteriskInstance, namespace: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    SITE: site.site.name,
    ARI_URL: site.ariUrl,
    ARI_USER: site.ariUser,
    ARI_PASSWORD: site.ariPassword,
    NATS_NAMESPACE: namespace,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

/** A gateway in this process, resolved once its ARI connection is up. */
export async function gatewayFor(site: AsteriskInstance, namespace: string, extra: Record<string, string> = {}): Promise<INestApplication> {
  const app = await startMediaGateway(loadConfig(mediaGatewayConfigSchema, await gatewayEnv(site, namespace, extra)));
  const ari = app.get(AriConnection);
  if (!ari.isConnected) await once(ari, 'connected');
  return app;
}

/** A gateway as its own process (the built dist/main.js), as in production: it can be killed without warning. */
export function gatewayProcess(env: Record<string, string>): ServiceProcess {
  return new ServiceProcess(resolve(__dirname, '..', 'dist', 'main.js'), env);
}

/** Call commands as a controller (ivr, acd) sends them: each with a new command id. */
export class CallControl {
  private sequence = 0;

  constructor(private readonly client: CommandClient) {}

  send<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    call: CallRef,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'call' | '$typeName'> = {} as never,
    timeoutMs = 10_000,
  ): Promise<CommandOutcome<ResultOf<Rep>>> {
    const request = create(definition.request, { ...fields, commandId: `${call.callId}:${definition.name}:${++this.sequence}`, call } as unknown as MessageInitShape<Req>);
    return this.client.request(definition, request, { timeoutMs });
  }

  /** Like send, for steps that must work: returns the result or throws with the error. */
  async must<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    call: CallRef,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'call' | '$typeName'> = {} as never,
    timeoutMs = 10_000,
  ): Promise<ResultOf<Rep>> {
    const response = await this.send(definition, call, fields, timeoutMs);
    if (!response.ok) throw new Error(`${definition.name} failed: ${JSON.stringify({ kind: response.error.kind, message: response.error.message })}`);
    return response.value;
  }
}

/**
 * The test's side of NATS: a command client and a recorder of every call event of the
 * namespace, with the calls that start handed out in order of arrival.
 */
export class CallsObserver {
  private readonly waiting: ((call: CallRef) => void)[] = [];

  private constructor(
    readonly connection: MessagingConnection,
    readonly control: CallControl,
    readonly recorder: CallEventsRecorder,
  ) {
    recorder.onEvent((event) => {
      if (event.name === 'started') this.waiting.shift()?.((event.message as CallStarted).call as CallRef);
    });
  }

  static async start(namespace: string): Promise<CallsObserver> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'e2e', queueGroup: 'e2e' });
    const observer = new CallsObserver(connection, new CallControl(new CommandClient(connection)), new CallEventsRecorder(connection));
    await observer.recorder.start();
    return observer;
  }

  /** The next call to start (ask before placing it). */
  nextCall(): Promise<CallRef> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stops recording and removes the namespace's streams. */
  async close(): Promise<void> {
    await this.recorder.stop();
    await deleteNamespaceStreams(this.connection);
    await this.connection.close();
  }
}
