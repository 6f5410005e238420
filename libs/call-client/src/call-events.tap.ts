import { type DescMessage } from '@bufbuild/protobuf';
import { AcdEvents, type CallRef, CallEvents, type EventDefinition } from '@lianluo/contracts';
import { MessagingConnection, decodeAndValidate, eventFilterOf } from '@lianluo/messaging';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Subscription } from 'nats';
import { CallFailed } from './call-errors';
import { CallWatch, type WatchedCallEvent } from './call-watch';
import { CLOCK, type Clock } from './clock';

/** The step a flow's wait fails with when the replica shuts down. */
export const SHUTTING_DOWN = 'shutdown';

/** The events a watched call is fed, and where each names its call. */
const TAPPED: readonly { definition: EventDefinition; callOf: (message: never) => CallRef | undefined }[] = [
  ...[CallEvents.playbackFinished, CallEvents.recordingFinished, CallEvents.dtmfReceived, CallEvents.bridged, CallEvents.hungUp].map((definition) => ({
    definition: definition as EventDefinition,
    callOf: (message: { call?: CallRef }) => message.call,
  })),
  // The acd sending a waiting caller on (to voicemail, another queue): whoever plays to it stops.
  { definition: AcdEvents.contactOverflowed as EventDefinition, callOf: (message: { contact?: { call?: CallRef } }) => message.contact?.call },
];

/**
 * Feeds the calls this replica drives with their events, as they are published. A plain
 * NATS subscription (JetStream publishes are NATS messages too): each replica needs the
 * events of its own calls only, now; a service's durable consumers cover whatever a
 * replica misses or dies with.
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
    for (const { definition, callOf } of TAPPED) {
      const subject = eventFilterOf(this.connection.namespace, definition.domain, definition.name);
      this.subscriptions.push(
        this.connection.nc.subscribe(subject, {
          callback: (error, message) => {
            if (error) this.logger.error({ err: error, subject }, 'call event subscription failed');
            else this.route(definition, callOf, message.data);
          },
        }),
      );
    }
  }

  onApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const watch of [...this.watches.values()]) watch.close(new CallFailed(SHUTTING_DOWN, 'this replica is shutting down'));
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

  private route(definition: EventDefinition<DescMessage>, callOf: (message: never) => CallRef | undefined, data: Uint8Array): void {
    const decoded = decodeAndValidate(definition.schema, data, definition.validate);
    if (!decoded.ok) return; // the durable consumers dead-letter and count bad events; here they are only not ours
    const message = decoded.message as WatchedCallEvent['message'];
    const call = callOf(message as never);
    if (call) this.watches.get(keyOf(call.tenant, call.callId))?.feed({ name: definition.name, message } as WatchedCallEvent);
  }
}

function keyOf(tenant: string, callId: string): string {
  return `${tenant}/${callId}`;
}
