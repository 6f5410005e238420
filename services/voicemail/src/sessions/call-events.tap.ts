import { type DescMessage } from '@bufbuild/protobuf';
import { type CallRef, CallEvents, type EventDefinition } from '@lianluo/contracts';
import { MessagingConnection, decodeAndValidate, eventFilterOf } from '@lianluo/messaging';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Subscription } from 'nats';
import { CLOCK, type Clock } from '../clock';
import { CallWatch, type WatchedCallEvent } from './call-watch';
import { VoicemailCallFailed } from './sessions.errors';

/** The step a flow's wait fails with when the replica shuts down. */
export const SHUTTING_DOWN = 'shutdown';

const TAPPED = [CallEvents.playbackFinished, CallEvents.recordingFinished, CallEvents.hungUp] as const;

/**
 * Feeds the calls this replica drives with their events, as they are published. A plain
 * NATS subscription (JetStream publishes are NATS messages too): each replica needs the
 * events of its own calls only, now, and the durable consumer in SessionsHandlers covers
 * whatever a replica misses or dies with.
 */
@Injectable()
export class CallEventsTap implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CallEventsTap.name);
  private readonly watches = new Map<string, CallWatch>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly connection: MessagingConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    for (const definition of TAPPED) {
      const subject = eventFilterOf(this.connection.namespace, definition.domain, definition.name);
      this.subscriptions.push(
        this.connection.nc.subscribe(subject, {
          callback: (error, message) => {
            if (error) this.logger.error({ err: error, subject }, 'call event subscription failed');
            else this.route(definition as EventDefinition, message.data);
          },
        }),
      );
    }
  }

  onApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const watch of [...this.watches.values()]) watch.close(new VoicemailCallFailed(SHUTTING_DOWN, 'this replica is shutting down'));
  }

  /** Starts keeping the call's events; close the watch when the flow is done. */
  watch(call: CallRef): CallWatch {
    const key = keyOf(call.tenant, call.callId);
    this.watches.get(key)?.close();
    const watch = new CallWatch(this.clock, () => {
      if (this.watches.get(key) === watch) this.watches.delete(key);
    });
    this.watches.set(key, watch);
    return watch;
  }

  private route(definition: EventDefinition<DescMessage>, data: Uint8Array): void {
    const decoded = decodeAndValidate(definition.schema, data, definition.validate);
    if (!decoded.ok) return; // the durable consumers dead-letter and count bad events; here they are only not ours
    const message = decoded.message as WatchedCallEvent['message'];
    const call = message.call as CallRef;
    this.watches.get(keyOf(call.tenant, call.callId))?.feed({ name: definition.name, message } as WatchedCallEvent);
  }
}

function keyOf(tenant: string, callId: string): string {
  return `${tenant}/${callId}`;
}
