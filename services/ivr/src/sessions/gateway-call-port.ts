import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampNow } from '@bufbuild/protobuf/wkt';
import { CallFailed, type Clock, type GatewayCall } from '@lianluo/call-client';
import {
  AcdCommands,
  CallbackOrigin,
  CallCommands,
  CancelReason,
  Channel,
  type CommandDefinition,
  ContactState,
  ErrorKind,
  FlowOutcome as FlowOutcomeCode,
  IvrEvents,
  QueueChoice,
  type ResultOf,
  TakeReason,
  VoicemailCommands,
} from '@lianluo/contracts';
import { type CommandClient, type EventPublisher } from '@lianluo/messaging';
import { randomUUID } from 'node:crypto';
import { type CallersRepository } from '../callers/callers.repository';
import {
  type CallPort,
  type CallbackRequest,
  type CallerIdentity,
  type CollectRule,
  type Collected,
  type FlowEvent,
  type FlowCheckpoint,
  type FlowOutcome,
  type QueueRequest,
  type VoicemailRequest,
} from './call-port';
import { type QueueStanding, type QueueWaitPort, type WaitEvent } from './queue-wait';

export interface PortContext {
  readonly commands: CommandClient;
  readonly events: EventPublisher;
  readonly callers: CallersRepository;
  readonly clock: Clock;
  readonly commandTimeoutMs: number;
  /** The flow file, named in every event. */
  readonly flow: string;
  readonly callerNumber: string;
  /** Keeps the queued caller's wait where another replica can resume it. */
  readonly onQueued: (queued: Queued) => Promise<void>;
  /** Keeps where the flow stands, where another replica can resume it; must not throw. */
  readonly onCheckpoint: (at: FlowCheckpoint) => Promise<void>;
}

/** Where a queued call stands, for the wait that follows the flow. */
export interface Queued {
  readonly request: QueueRequest;
  /** When the caller started waiting (a callback keeps it). */
  readonly since: number;
}

/** Longest announcement waited for; past it the wait goes on as if it had played. */
const ANNOUNCEMENT_LIMIT_MS = 5 * 60_000;

const OUTCOMES: Record<FlowOutcome, FlowOutcomeCode> = {
  queued: FlowOutcomeCode.QUEUED,
  voicemail: FlowOutcomeCode.VOICEMAIL,
  callback: FlowOutcomeCode.CALLBACK,
  transferred: FlowOutcomeCode.TRANSFERRED,
  hung_up: FlowOutcomeCode.HUNG_UP,
  caller_left: FlowOutcomeCode.CALLER_LEFT,
  failed: FlowOutcomeCode.FAILED,
};

const STANDINGS: Partial<Record<ContactState, QueueStanding['state']>> = {
  [ContactState.WAITING]: 'waiting',
  [ContactState.OFFERED]: 'offered',
  [ContactState.ASSIGNED]: 'assigned',
};

/**
 * A flow's call (CallPort) and a queued caller's wait (QueueWaitPort) over NATS: call
 * commands to the media gateway, enqueue / cancel / position to acd, take_call to
 * voicemail, and the ivr's events for reporting. Command ids come from the call, so a
 * retried command is recognised by whoever executes it.
 */
export class GatewayCallPort implements CallPort, QueueWaitPort {
  queued: Queued | undefined;
  /** The wait looks at events from the end of the flow on; the keys of the menus are not choices in the queue. */
  private waitFrom = 0;
  /** Keys the wait has acted on. */
  private readonly handled = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly gateway: GatewayCall,
    private readonly context: PortContext,
  ) {}

  private get call() {
    return this.gateway.call;
  }

  play(media: readonly string[], interruptible: boolean): Promise<void> {
    return this.gateway.play(media, interruptible);
  }

  checkpoint(at: FlowCheckpoint): Promise<void> {
    return this.context.onCheckpoint(at);
  }

  collect(rule: CollectRule): Promise<Collected> {
    return this.gateway.collect(rule);
  }

  identify(callerNumber: string): Promise<CallerIdentity> {
    return this.context.callers.identify(this.call.tenant, callerNumber);
  }

  async lookup(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`lookup answered ${response.status}`);
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('lookup did not answer a JSON object');
    return body as Record<string, unknown>;
  }

  async enqueue(request: QueueRequest): Promise<void> {
    const since = this.context.clock.now();
    this.waitFrom = this.gateway.watch.mark();
    await this.request(AcdCommands.enqueueContact, {
      tenant: this.call.tenant,
      contact: {
        contactId: this.call.callId,
        queue: request.queue,
        channel: Channel.VOICE,
        requiredSkills: { ...request.skills },
        priority: request.priority,
        businessValue: request.businessValue,
        preferredAgent: request.lastAgent ?? '',
        site: this.call.site,
        call: this.call,
        customerId: request.customerId ?? '',
        data: { ...request.data },
      },
    });
    this.queued = { request, since };
    await this.context.onQueued(this.queued);
  }

  /** Picks up a caller another replica left waiting in a queue: the wait goes on from the events to come. */
  resumeWait(queued: Queued): void {
    this.queued = queued;
    this.waitFrom = this.gateway.watch.mark();
  }

  async voicemail(request: VoicemailRequest): Promise<void> {
    await this.takeCall({ queue: request.queue ?? '', mailbox: request.mailbox ?? '', greeting: [...(request.greeting ?? [])], maxMessageMs: request.maxMessageMs, language: request.language ?? '', reason: TakeReason.FLOW });
  }

  /** A callback step: the caller waits from now, for the queue the step names. */
  async requestCallback(request: CallbackRequest): Promise<void> {
    await this.bookCallback({ queue: request.queue, number: request.number, data: request.data }, undefined);
  }

  async transfer(number: string, timeoutMs: number): Promise<void> {
    await this.gateway.send(CallCommands.blindTransfer, { destination: { target: { case: 'pstnNumber', value: number } }, timeoutMs }, timeoutMs + this.context.commandTimeoutMs);
  }

  hangUp(): Promise<void> {
    return this.gateway.hangUp();
  }

  async record(event: FlowEvent): Promise<void> {
    const basics = { eventId: randomUUID(), call: this.call, occurredAt: timestampNow(), flow: this.context.flow, step: event.step };
    if (event.kind === 'menu_chosen') await this.context.events.publish(IvrEvents.menuChosen, create(IvrEvents.menuChosen.schema, { ...basics, key: event.key }));
    else if (event.kind === 'input_collected') {
      await this.context.events.publish(IvrEvents.inputCollected, create(IvrEvents.inputCollected.schema, { ...basics, variable: event.variable, value: event.value }));
    } else {
      const queue = event.outcome === 'queued' ? (this.queued?.request.queue ?? '') : '';
      await this.context.events.publish(IvrEvents.flowEnded, create(IvrEvents.flowEnded.schema, { ...basics, outcome: OUTCOMES[event.outcome], queue }));
    }
  }

  // The wait in the queue (QueueWaitPort).

  musicOnHold(on: boolean): Promise<void> {
    return this.gateway.setMusicOnHold(on);
  }

  async announce(media: readonly string[]): Promise<Extract<WaitEvent, { kind: 'bridged' | 'overflowed' }> | undefined> {
    const from = this.gateway.watch.mark();
    const playbackId = await this.gateway.startPlayback(media, true);
    const ending = await this.gateway.watch.poll<'played' | Extract<WaitEvent, { kind: 'bridged' | 'overflowed' }>>(
      (event) => {
        if (event.name === 'playback_finished' && event.message.playbackId === playbackId) return 'played';
        if (event.name === 'bridged') return { kind: 'bridged' };
        if (event.name === 'contact_overflowed') return { kind: 'overflowed' };
        return undefined;
      },
      ANNOUNCEMENT_LIMIT_MS,
      from,
    );
    if (ending === 'played' || ending === undefined) return undefined;
    // Whoever has the call now (an agent, voicemail) must not hear the rest of it.
    await this.gateway.stopPlayback(playbackId).catch(() => undefined);
    return ending;
  }

  nextEvent(timeoutMs: number): Promise<WaitEvent | undefined> {
    const seen = this.handled;
    return this.gateway.watch.poll<WaitEvent>(
      (event) => {
        if (event.name === 'bridged') return { kind: 'bridged' };
        if (event.name === 'contact_overflowed') return { kind: 'overflowed' };
        if (event.name !== 'dtmf' || seen.has(event.message.eventId)) return undefined;
        seen.add(event.message.eventId);
        return { kind: 'key', key: event.message.digit };
      },
      timeoutMs,
      this.waitFrom,
    );
  }

  async standing(): Promise<QueueStanding> {
    const result = await this.request(AcdCommands.getContactPosition, { tenant: this.call.tenant, contactId: this.call.callId });
    return { state: STANDINGS[result.state] ?? 'done', position: result.position, expectedWaitMs: result.expectedWaitMs };
  }

  async leaveForVoicemail(): Promise<boolean> {
    const queued = this.queued as Queued;
    if (!(await this.leaveQueue())) return false;
    await this.choiceMade(QueueChoice.VOICEMAIL);
    await this.takeCall({ queue: queued.request.queue, priority: queued.request.priority, contactId: this.call.callId, language: queued.request.language ?? '', reason: TakeReason.CALLER_CHOICE });
    return true;
  }

  /**
   * The callback key while waiting: the callback is booked first, keeping the time the caller
   * started waiting, then the call's contact leaves the queue. A caller whose contact an agent
   * already has is connected instead, and the booking is withdrawn.
   */
  async leaveForCallback(): Promise<boolean> {
    const { request, since } = this.queued as Queued;
    const callbackId = await this.bookCallback(
      {
        queue: request.queue,
        number: this.context.callerNumber,
        data: request.data,
        priority: request.priority,
        requiredSkills: request.skills,
        customerId: request.customerId,
        preferredAgent: request.lastAgent,
      },
      since,
    );
    if (await this.leaveQueue()) {
      await this.choiceMade(QueueChoice.CALLBACK);
      return true;
    }
    await this.request(AcdCommands.cancelCallback, { tenant: this.call.tenant, callbackId });
    return false;
  }

  private async choiceMade(choice: QueueChoice): Promise<void> {
    const queue = (this.queued as Queued).request.queue;
    const event = create(IvrEvents.queueChoiceMade.schema, { eventId: randomUUID(), call: this.call, occurredAt: timestampNow(), queue, contactId: this.call.callId, choice });
    await this.context.events.publish(IvrEvents.queueChoiceMade, event);
  }

  /** Books a callback of this call (its id is the call's); answers the callback id. */
  private async bookCallback(
    what: {
      queue: string;
      number: string;
      data: Readonly<Record<string, string>>;
      priority?: number;
      requiredSkills?: Readonly<Record<string, number>>;
      customerId?: string | undefined;
      preferredAgent?: string | undefined;
    },
    waitingSince: number | undefined,
  ): Promise<string> {
    if (!/^\+?[0-9]{3,20}$/.test(what.number)) throw new CallFailed('request_callback', `the caller's number "${what.number}" cannot be called back`);
    const callbackId = `ivr-${this.call.callId}`;
    await this.request(AcdCommands.requestCallback, {
      tenant: this.call.tenant,
      callback: {
        callbackId,
        queue: what.queue,
        number: what.number,
        site: this.call.site,
        customerId: what.customerId ?? '',
        priority: what.priority ?? 0,
        requiredSkills: { ...(what.requiredSkills ?? {}) },
        preferredAgent: what.preferredAgent ?? '',
        data: { ...what.data },
        waitingSince: waitingSince === undefined ? undefined : timestampFromMs(waitingSince),
        origin: CallbackOrigin.IVR,
      },
    });
    return callbackId;
  }

  /** Takes the contact out of its queue; false when an agent already has it. */
  private async leaveQueue(): Promise<boolean> {
    const outcome = await this.context.commands.request(
      AcdCommands.cancelContact,
      create(AcdCommands.cancelContact.request, { commandId: this.commandId('cancel'), tenant: this.call.tenant, contactId: this.call.callId, reason: CancelReason.WITHDRAWN }),
      { timeoutMs: this.context.commandTimeoutMs },
    );
    if (outcome.ok) return true;
    if (outcome.error.kind === ErrorKind.FAILED_PRECONDITION && outcome.error.message.startsWith('contact-assigned')) return false;
    throw new CallFailed('cancel_contact', outcome.error.message);
  }

  private async takeCall(fields: Omit<MessageInitShape<typeof VoicemailCommands.takeCall.request>, 'commandId' | 'call' | 'callerNumber' | '$typeName'>): Promise<void> {
    await this.request(VoicemailCommands.takeCall, { ...fields, call: this.call, callerNumber: this.context.callerNumber });
  }

  /** An acd or voicemail command about this call; its result, or CallFailed naming it. */
  private async request<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId' | '$typeName'>,
  ): Promise<ResultOf<Rep>> {
    const request = create(definition.request, { ...fields, commandId: this.commandId(definition.name) } as unknown as MessageInitShape<Req>);
    const outcome = await this.context.commands.request(definition, request, { timeoutMs: this.context.commandTimeoutMs });
    if (!outcome.ok) throw new CallFailed(definition.name, outcome.error.message);
    return outcome.value;
  }

  private commandId(name: string): string {
    return `ivr:${this.call.tenant}:${this.call.callId}:${++this.sequence}:${name}`;
  }
}
