// What the voicemail tests share: a database and a recording folder of their own, the
// service in-process or as a child process (to kill -9), and the voicemail events read
// from JetStream as acd and reporting would read them.
import { type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { loadConfig } from '@lianluo/config';
import { ALL_VOICEMAIL_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { EventConsumer, MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { ServiceProcess, TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, endTestPool, freePort, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { type Clock } from '@lianluo/call-client';
import { startVoicemail } from '../src/voicemail.app';
import { voicemailConfigSchema } from '../src/voicemail.config';

const SERVER = TEST_POSTGRES_SERVER;

/** A database and a recording folder made for one test file; `remove()` deletes both. */
export class VoicemailTestbed {
  readonly pool: Pool;

  private constructor(
    readonly database: string,
    readonly recordingDir: string,
  ) {
    this.pool = new Pool({ connectionString: this.databaseUrl, max: 4, options: '-c search_path=voicemail' });
  }

  static async create(): Promise<VoicemailTestbed> {
    const database = uniqueNamespace('vm');
    await createTestDatabase(database);
    return new VoicemailTestbed(database, await mkdtemp(join(tmpdir(), 'lianluo-vm-recordings-')));
  }

  get databaseUrl(): string {
    return `${SERVER}/${this.database}`;
  }

  /** The environment of a replica speaking in `namespace`; `extra` adds or overrides. */
  async env(namespace: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
      NATS_NAMESPACE: namespace,
      DATABASE_URL: this.databaseUrl,
      DATABASE_POOL_SIZE: '4',
      RECORDING_STORE: 'local',
      RECORDING_DIR: this.recordingDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      OUTBOX_SWEEP_MS: '200',
      ...serviceAuthEnv(),
      ...extra,
    };
  }

  /** A replica in this process. */
  async start(namespace: string, extra: Record<string, string> = {}, clock?: Clock): Promise<INestApplication> {
    return startVoicemail(loadConfig(voicemailConfigSchema, await this.env(namespace, extra)), clock);
  }

  /** A replica as its own process (the built dist/main.js), to kill without warning. */
  async process(namespace: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    return new ServiceProcess(resolve(__dirname, '..', 'dist', 'main.js'), await this.env(namespace, extra));
  }

  async remove(): Promise<void> {
    await endTestPool(this.pool);
    await dropTestDatabase(this.database);
    await rm(this.recordingDir, { recursive: true, force: true });
  }
}

export interface VoicemailEvent {
  readonly name: string;
  readonly message: MessageShape<DescMessage> & { messageId: string };
  /** The Nats-Msg-Id it was published with. */
  readonly eventId: string;
}

/** Reads the voicemail stream as a downstream service would, and lets a test wait for an event. */
export class VoicemailEventsRecorder {
  readonly events: VoicemailEvent[] = [];
  private waiters: { match: (e: VoicemailEvent) => boolean; resolve: (e: VoicemailEvent) => void }[] = [];
  private readonly consumer: EventConsumer;

  constructor(
    readonly connection: MessagingConnection,
    durable = 'test-voicemail-events',
  ) {
    this.consumer = new EventConsumer(connection, {
      durable,
      definitions: ALL_VOICEMAIL_EVENTS as readonly EventDefinition[],
      handler: (message, ctx) => {
        const event = { name: ctx.subject.split('.').pop() ?? '', message: message as VoicemailEvent['message'], eventId: ctx.eventId };
        this.events.push(event);
        this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
      },
    });
  }

  /** A recorder on a connection of its own, reading from now on. */
  static async connect(namespace: string): Promise<VoicemailEventsRecorder> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'vm-test', queueGroup: 'vm-test' });
    const recorder = new VoicemailEventsRecorder(connection);
    await recorder.start();
    return recorder;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Stops reading, deletes the run's streams and closes the connection. */
  async close(): Promise<void> {
    await this.stop();
    await deleteNamespaceStreams(this.connection);
    await this.connection.close();
  }

  next(name: 'message_left' | 'message_abandoned', messageId?: string): Promise<VoicemailEvent> {
    const match = (e: VoicemailEvent) => e.name === name && (messageId === undefined || e.message.messageId === messageId);
    const seen = this.events.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  of(messageId: string): VoicemailEvent[] {
    return this.events.filter((e) => e.message.messageId === messageId);
  }
}


/** An 8 kHz 16-bit mono PCM wav of `durationMs` (a 440 Hz tone), as Asterisk records them. */
export function pcmWav(durationMs: number): Buffer {
  const samples = (8_000 * durationMs) / 1000;
  const file = Buffer.alloc(44 + samples * 2);
  file.write('RIFF', 0);
  file.writeUInt32LE(36 + samples * 2, 4);
  file.write('WAVEfmt ', 8);
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20);
  file.writeUInt16LE(1, 22);
  file.writeUInt32LE(8_000, 24);
  file.writeUInt32LE(16_000, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write('data', 36);
  file.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) file.writeInt16LE(Math.round(8_000 * Math.sin((2 * Math.PI * 440 * i) / 8_000)), 44 + i * 2);
  return file;
}

