import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { LiveCallRecordSchema, type LiveCallRecord } from '@lianluo/contracts';
import { MessagingConnection, RecordBucket } from '@lianluo/messaging';
import { traceparentOf } from '@lianluo/observability';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { whileNatsIsAway } from './calls.events';
import { type LiveCall } from './live-call';

/** The bucket every site's gateway keeps its announced calls in, keyed `<site>.<call>`. */
export const LIVE_CALLS_BUCKET = 'live_calls';

/**
 * The calls this site's gateway has announced (call.started, or answered for a call it
 * placed) and not yet reported hung up, kept outside the process. Asterisk tells a
 * restarted gateway which calls are still up; this tells it which calls it had, so the ones
 * that ended while it was down are reported hung up too, and nothing waits for them.
 */
@Injectable()
export class LiveCallLedger implements OnModuleInit {
  private bucket: RecordBucket | undefined;

  constructor(
    private readonly nats: MessagingConnection,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.bucket = await RecordBucket.open(this.nats, LIVE_CALLS_BUCKET);
  }

  /** Before the call is announced: a crash after this reports it hung up, never the reverse. */
  async add(call: Pick<LiveCall, 'ref' | 'traceContext'>): Promise<void> {
    const record = create(LiveCallRecordSchema, { call: call.ref, traceparent: traceparentOf(call.traceContext) ?? '' });
    const bucket = this.opened();
    await whileNatsIsAway(() => bucket.put(this.keyOf(call.ref.callId), toBinary(LiveCallRecordSchema, record)));
  }

  /** After its hang-up is published. */
  async remove(callId: string): Promise<void> {
    const bucket = this.opened();
    await whileNatsIsAway(() => bucket.remove(this.keyOf(callId)));
  }

  /** Every call of this site announced and not reported hung up, by any process before this one included. */
  async calls(): Promise<LiveCallRecord[]> {
    const entries = await this.opened().entries(this.config.SITE);
    return entries.map(({ record }) => fromBinary(LiveCallRecordSchema, record)).filter((record) => record.call !== undefined);
  }

  private keyOf(callId: string): string {
    // A call id is any string (a placed call's comes with its command); base64url keeps it one token of a key.
    return `${this.config.SITE}.${Buffer.from(callId).toString('base64url')}`;
  }

  private opened(): RecordBucket {
    if (!this.bucket) throw new Error('the live-call ledger is used before its bucket is open');
    return this.bucket;
  }
}
