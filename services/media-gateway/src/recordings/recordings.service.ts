import { registeredMetric } from '@lianluo/observability';
import { type CallRef, CallEvents, ErrorKind, RecordTarget } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { type RecordingStore } from '@lianluo/recording-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { LiveRecording, RecordingFailed, RecordingFinished } from 'ari-client';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { AriConnection } from '../ari/ari-connection';
import { CallRegistry } from '../calls/call-registry';
import { CallEventsNotifier, timestampOf } from '../calls/calls.events';
import { commandFailureFromAri } from '../calls/calls.errors';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { RECORDING_STORE } from './recording-store.token';
import { audioDurationMs } from './audio-duration';

export interface RecordOptions {
  readonly target: RecordTarget;
  readonly format: string;
  readonly maxDurationMs: number;
  readonly maxSilenceMs: number;
  readonly beep: boolean;
  readonly terminateOn: string;
}

/** What a recording needs once Asterisk has finished it, even if the call is gone by then. */
interface PendingRecording {
  readonly recordingId: string;
  readonly ref: CallRef;
  readonly traceContext: Context;
  readonly targetId: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { wav: 'audio/wav', gsm: 'audio/x-gsm' };
/** `lianluo~<tenant>~<call id>~<recording id>`: enough to finish a recording after a restart. */
const NAME_PREFIX = 'lianluo';
const SEPARATOR = '~';

/**
 * Recordings (TEL-5): Asterisk records into its spool, and when it is done we move the
 * file into the recording store and announce it. The Asterisk name carries tenant, call
 * and recording id, so recordings finished while this process was down are stored at resync.
 */
@Injectable()
export class RecordingsService {
  private readonly logger = new Logger(RecordingsService.name);
  private readonly pending = new Map<string, PendingRecording>();
  private readonly failures =
    registeredMetric('lianluo_recordings_failed_total', () => new Counter({ name: 'lianluo_recordings_failed_total', help: 'Recordings that could not be made or stored.', labelNames: ['site', 'stage'] }));

  constructor(
    private readonly ari: AriConnection,
    private readonly registry: CallRegistry,
    private readonly notifier: CallEventsNotifier,
    @Inject(RECORDING_STORE) private readonly store: RecordingStore,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
  ) {}

  async record(ref: CallRef, options: RecordOptions): Promise<string> {
    const call = this.registry.callOf(ref);
    const recordingId = randomUUID();
    const name = [NAME_PREFIX, ref.tenant, ref.callId, recordingId].join(SEPARATOR);
    const format = options.format || 'wav';
    const params = {
      name,
      format,
      maxDurationSeconds: Math.ceil(options.maxDurationMs / 1000),
      maxSilenceSeconds: Math.ceil(options.maxSilenceMs / 1000),
      beep: options.beep,
      terminateOn: options.terminateOn || 'none',
      ifExists: 'fail',
    };
    let targetId: string;
    if (options.target === RecordTarget.CONVERSATION) {
      if (!call.bridge) throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `call ${ref.callId} is not bridged: there is no conversation to record`);
      targetId = call.bridge.bridgeId;
    } else {
      targetId = call.channelId;
    }
    this.pending.set(name, { recordingId, ref: call.ref, traceContext: call.traceContext, targetId });
    call.recordings.set(recordingId, { recordingId, name, format, targetId });
    try {
      if (options.target === RecordTarget.CONVERSATION) await this.ari.client.bridges.record({ bridgeId: targetId, ...params });
      else await this.ari.client.channels.record({ channelId: targetId, ...params });
    } catch (error) {
      this.pending.delete(name);
      call.recordings.delete(recordingId);
      throw commandFailureFromAri(error, `record ${ref.callId}`);
    }
    return recordingId;
  }

  async stop(ref: CallRef, recordingId: string): Promise<void> {
    const call = this.registry.callOf(ref);
    const recording = call.recordings.get(recordingId);
    if (!recording) throw CommandFailure.gone(`recording ${recordingId} is not running on call ${ref.callId}`);
    try {
      await this.ari.client.recordings.stop({ recordingName: recording.name });
    } catch (error) {
      throw commandFailureFromAri(error, `stop recording ${recordingId}`);
    }
  }

  onFinished(_event: RecordingFinished, recording: LiveRecording): void {
    void this.finish(recording.name, recording.format, recording.duration);
  }

  onFailed(_event: RecordingFailed, recording: LiveRecording): void {
    const pending = this.pending.get(recording.name);
    this.pending.delete(recording.name);
    if (pending) this.registry.get(pending.ref.callId)?.recordings.delete(pending.recordingId);
    this.failures.inc({ site: this.config.SITE, stage: 'record' });
    this.logger.warn({ recording: recording.name, cause: recording.cause }, 'Asterisk could not record');
  }

  /** After a (re)connection: store what Asterisk finished while we were away. */
  async resync(): Promise<void> {
    const client = this.ari.client;
    // Asterisk answers "Allocation failed" while its recording spool does not exist yet: nothing to store.
    const storedRecordings = await client.recordings.listStored().catch((error: Error) => {
      this.logger.debug({ err: error.message }, 'no stored recordings to look at');
      return [];
    });
    for (const stored of storedRecordings) {
      const parsed = parseName(stored.name);
      if (!parsed || this.pending.has(stored.name)) continue;
      const stillRecording = await client.recordings.getLive({ recordingName: stored.name }).then(
        () => true,
        () => false,
      );
      const call = this.registry.get(parsed.callId);
      this.pending.set(stored.name, {
        recordingId: parsed.recordingId,
        ref: call?.ref ?? { ...this.refOf(parsed) },
        traceContext: call?.traceContext ?? ROOT_CONTEXT,
        targetId: call?.channelId ?? parsed.callId,
      });
      if (!stillRecording) await this.finish(stored.name, stored.format, undefined);
    }
  }

  private async finish(name: string, format: string, durationSeconds: number | undefined): Promise<void> {
    const pending = this.pending.get(name);
    if (!pending) return;
    try {
      const file = await this.fetchStored(name);
      const contentType = CONTENT_TYPES[format] ?? 'application/octet-stream';
      const durationMs = audioDurationMs(format, file) ?? (durationSeconds ?? 0) * 1000;
      const stored = await this.store.put({
        recordingId: pending.recordingId,
        tenant: pending.ref.tenant,
        contentType,
        body: file,
        metadata: { callId: pending.ref.callId, site: pending.ref.site, durationMs: String(durationMs) },
      });
      await this.notifier.publish(CallEvents.recordingFinished, pending, `${pending.recordingId}:finished`, timestampOf(undefined), {
        recordingId: pending.recordingId,
        location: stored.location,
        contentType,
        durationMs,
        legId: pending.targetId,
        sizeBytes: BigInt(stored.sizeBytes),
      });
      await this.ari.client.recordings.deleteStored({ recordingName: name }).catch(() => undefined);
      this.pending.delete(name);
      this.registry.get(pending.ref.callId)?.recordings.delete(pending.recordingId);
    } catch (error) {
      // Kept in Asterisk's spool and in `pending`: the next resync tries again.
      this.failures.inc({ site: this.config.SITE, stage: 'store' });
      this.logger.error({ recording: name, err: error }, 'recording could not be stored; it stays in the Asterisk spool for the next resync');
    }
  }

  /** ARI serves the finished file; ari-client does not handle binary bodies, so this is plain HTTP. */
  private async fetchStored(name: string): Promise<Buffer> {
    const url = new URL(`ari/recordings/stored/${encodeURIComponent(name)}/file`, this.config.ARI_URL.endsWith('/') ? this.config.ARI_URL : `${this.config.ARI_URL}/`);
    const response = await fetch(url, {
      headers: { Authorization: `Basic ${Buffer.from(`${this.config.ARI_USER}:${this.config.ARI_PASSWORD}`).toString('base64')}` },
    });
    if (!response.ok) throw new Error(`ARI answered ${response.status} for the recording file ${name}`);
    return Buffer.from(await response.arrayBuffer());
  }

  private refOf(parsed: { tenant: string; callId: string }): CallRef {
    return { $typeName: 'lianluo.call.v1.CallRef', tenant: parsed.tenant, site: this.config.SITE, callId: parsed.callId };
  }
}

function parseName(name: string): { tenant: string; callId: string; recordingId: string } | undefined {
  const [prefix, tenant, callId, recordingId, ...rest] = name.split(SEPARATOR);
  if (prefix !== NAME_PREFIX || !tenant || !callId || !recordingId || rest.length > 0) return undefined;
  return { tenant, callId, recordingId };
}
