import { CLOCK, CallEventsTap, CallFailed, type Clock, SHUTTING_DOWN } from '@lianluo/call-client';
import { type AbandonStage, AcdCommands, type CallRef, type TakeCall, TakeReason, VoicemailEvents } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { currentTraceparent, registeredMetric } from '@lianluo/observability';
import { POSTGRES, inTransaction } from '@lianluo/postgres';
import { type RecordingStore } from '@lianluo/recording-store';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Pool, type PoolClient } from 'pg';
import { Counter } from 'prom-client';
import { chooseGreeting } from '../greetings/greeting-choice';
import { GreetingsRepository } from '../greetings/greetings.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { RECORDING_STORE } from '../messages/recording-store.token';
import { addCommandToOutbox, addEventToOutbox } from '../outbox/outbox';
import { OutboxRelay } from '../outbox/outbox.relay';
import { TakeUrls } from '../takes/take-urls';
import { VOICEMAIL_CONFIG, type VoicemailConfig } from '../voicemail.config';
import { GatewayVoicemailCall } from './gateway-voicemail-call';
import { endingOf } from './session-ending';
import { messageAbandonedEvent, messageLeftEvent } from './sessions.events';
import { type Session, SessionsRepository } from './sessions.repository';
import { type SessionStore, type Take } from './voicemail-call';
import { type FlowOutcome, type VoicemailScript, VoicemailFlow } from './voicemail-flow';
import { CORE_SOUND_PROMPTS } from './voicemail-prompts';
import { workItemOf } from './work-item';

/**
 * Voicemail sessions: takes calls (take_call), drives each through a VoicemailFlow on this
 * replica, and settles it — message kept or abandoned — exactly once, in one transaction
 * with the event that announces it. Settling happens from whichever comes first: the flow
 * keeping a take, or the call's end (reported by the flow, or by the durable consumer of
 * call events when the replica that drove the call is gone).
 */
@Injectable()
export class SessionsService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(SessionsService.name);
  private readonly flows = new Set<Promise<void>>();
  private readonly flowsEnded =
    registeredMetric('lianluo_voicemail_flows_ended_total', () => new Counter({ name: 'lianluo_voicemail_flows_ended_total', help: 'Voicemail flows this replica drove, by how they ended.', labelNames: ['outcome'] }));

  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    private readonly sessions: SessionsRepository,
    private readonly messages: MessagesRepository,
    private readonly greetings: GreetingsRepository,
    private readonly commands: CommandClient,
    private readonly tap: CallEventsTap,
    private readonly relay: OutboxRelay,
    @Inject(RECORDING_STORE) private readonly recordings: RecordingStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VOICEMAIL_CONFIG) private readonly config: VoicemailConfig,
    private readonly takeUrls: TakeUrls,
  ) {}

  /** Takes the call unless voicemail has it already; answers with the message id either way. */
  async take(request: TakeCall): Promise<string> {
    const call = request.call as CallRef; // validated by the contract
    const configured = await this.greetings.configuredFor(call.tenant, request.queue);
    const { messageId, created } = await this.sessions.open({
      messageId: randomUUID(),
      tenant: call.tenant,
      site: call.site,
      callId: call.callId,
      queue: request.queue,
      mailbox: request.mailbox,
      callerNumber: request.callerNumber,
      priority: request.priority,
      contactId: request.contactId,
      reason: (TakeReason[request.reason] ?? 'UNSPECIFIED').toLowerCase(),
      minMessageMs: this.config.MIN_MESSAGE_MS,
      traceparent: currentTraceparent(),
    });
    if (!created) return messageId;
    const script: VoicemailScript = {
      greeting: chooseGreeting(request.greeting, configured, this.config.DEFAULT_GREETING),
      language: request.language,
      take: {
        maxMessageMs: request.maxMessageMs || this.config.MAX_MESSAGE_MS,
        silenceStopMs: request.silenceStopMs || this.config.SILENCE_STOP_MS,
      },
      minMessageMs: this.config.MIN_MESSAGE_MS,
      review: request.review,
      listen: this.config.MEDIA_BASE_URL ? (take) => [`sound:${this.takeUrls.urlOf(this.config.MEDIA_BASE_URL as string, call.tenant, take.recordingId)}`] : undefined,
      prompts: CORE_SOUND_PROMPTS,
    };
    const flow = this.drive(call, messageId, script, request.callerNumber).finally(() => this.flows.delete(flow));
    this.flows.add(flow);
    return messageId;
  }

  /** The call has ended for voicemail: settle its session unless a take is still being stored. */
  async callerGone(tenant: string, callId: string): Promise<void> {
    await this.settleAfter({ tenant, callId }, async (tx, session) => {
      await this.sessions.markCallerGone(tx, session.messageId);
      return { ...session, callerGone: true };
    });
  }

  /** A take of the call finished (call.recording_finished): remember it, and settle if the caller has gone. */
  async takeReported(tenant: string, callId: string, take: Take): Promise<void> {
    await this.settleAfter({ tenant, callId }, async (tx, session) => {
      await this.sessions.saveTake(tx, session.messageId, take);
      return session;
    });
  }

  /** Keeps the take as the session's message, unless the session is settled already. */
  async keep(messageId: string, take: Take): Promise<void> {
    const kept = await inTransaction(this.pool, async (tx) => {
      const session = await this.sessions.lock(tx, { messageId });
      if (!session || session.outcome) return false;
      await this.keepIn(tx, session, take);
      return true;
    });
    if (kept) void this.relay.kick();
  }

  /**
   * A rolling upgrade should not cut a caller off mid-message: flows in progress get
   * SHUTDOWN_GRACE_MS to finish. Those still running then are cut short when the tap closes
   * their watches; another replica settles them when their caller hangs up.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.flows.size === 0) return;
    this.logger.log({ flows: this.flows.size }, 'waiting for voicemail flows in progress before shutting down');
    let timer: unknown;
    const grace = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.flows]), grace]);
    this.clock.clearTimeout(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.flows]);
  }

  private async drive(call: CallRef, messageId: string, script: VoicemailScript, callerNumber: string): Promise<void> {
    const watch = this.tap.watch(call);
    const gateway = new GatewayVoicemailCall(this.commands, call, watch, {
      commandTimeoutMs: this.config.COMMAND_TIMEOUT_MS,
      commandIdPrefix: messageId,
    });
    let outcome: FlowOutcome | 'failed' = 'failed';
    try {
      // acd's overflow does not know the caller's number; the call does (agents call back on it).
      const number = callerNumber || (await gateway.callerNumber().catch(() => ''));
      if (number !== callerNumber) await this.sessions.setCallerNumber(messageId, number);
      outcome = await new VoicemailFlow(gateway, this.storeFor(call.tenant, messageId), script).run();
    } catch (error) {
      if (error instanceof CallFailed && error.step === SHUTTING_DOWN) {
        this.logger.warn({ messageId, callId: call.callId }, 'voicemail flow cut short by shutdown; another replica settles it when the caller hangs up');
      } else {
        this.logger.error({ messageId, callId: call.callId, err: error }, 'voicemail flow failed; hanging up');
        await gateway.hangUp().catch(() => undefined);
      }
    } finally {
      watch.close();
    }
    this.flowsEnded.inc({ outcome });
    // Whichever way the flow ended, the call is over for voicemail. The consumer of the call's
    // hang-up event does the same; the second one to come changes nothing.
    await this.callerGone(call.tenant, call.callId).catch((error: Error) =>
      this.logger.warn({ messageId, err: error }, 'session not settled after its flow; the hang-up event settles it'),
    );
  }

  private storeFor(tenant: string, messageId: string): SessionStore {
    return {
      takeStarted: (recordingId) => this.sessions.setCurrentTake(messageId, recordingId),
      // With the session's row locked, as call.recording_finished saves the same take: an
      // INSERT alone takes its row, then (the foreign key) waits on the session's, while
      // that consumer holds the session's and waits on the row, a deadlock.
      takeFinished: (take) =>
        inTransaction(this.pool, async (tx) => {
          if (await this.sessions.lock(tx, { messageId })) await this.sessions.saveTake(tx, messageId, take);
        }),
      keep: (take) => this.keep(messageId, take),
      discard: async (take) => {
        await this.sessions.dropCurrentTake(messageId, take.recordingId);
        await this.recordings.delete(tenant, take.recordingId).catch((error: Error) =>
          this.logger.warn({ messageId, recordingId: take.recordingId, err: error }, 'discarded take left in the recording store'),
        );
      },
    };
  }

  /**
   * Applies `change` to the call's session with its row locked, then, if the caller has gone,
   * settles it in the same transaction. Nothing happens for calls voicemail never took.
   */
  private async settleAfter(by: { tenant: string; callId: string }, change: (tx: PoolClient, session: Session) => Promise<Session>): Promise<void> {
    const settled = await inTransaction(this.pool, async (tx) => {
      const locked = await this.sessions.lock(tx, by);
      if (!locked) return false;
      const session = await change(tx, locked);
      if (!session.callerGone) return false;
      const ending = endingOf({ ...session, takes: await this.sessions.takesOf(tx, session.messageId) });
      if (ending.kind === 'keep') await this.keepIn(tx, session, ending.take);
      else if (ending.kind === 'abandon') await this.abandonIn(tx, session, ending.stage, ending.recordedMs);
      return ending.kind === 'keep' || ending.kind === 'abandon';
    });
    if (settled) void this.relay.kick();
  }

  private async keepIn(tx: PoolClient, session: Session, take: Take): Promise<void> {
    const at = new Date(this.clock.now());
    await this.sessions.saveTake(tx, session.messageId, take);
    await this.messages.insert(tx, {
      ...session,
      id: session.messageId,
      receivedAt: at,
      durationMs: take.durationMs,
      recordingId: take.recordingId,
      location: take.location,
      contentType: take.contentType,
      sizeBytes: take.sizeBytes,
    });
    await addEventToOutbox(tx, VoicemailEvents.messageLeft, messageLeftEvent(session, take, at), session.traceparent);
    // The hand-off to the agents of the queue; a mailbox without a queue has its message only.
    if (session.queue) await addCommandToOutbox(tx, AcdCommands.enqueueContact, workItemOf(session, take), session.traceparent);
    await this.sessions.end(tx, session.messageId, 'left', at);
  }

  private async abandonIn(tx: PoolClient, session: Session, stage: AbandonStage, recordedMs: number): Promise<void> {
    const at = new Date(this.clock.now());
    await addEventToOutbox(tx, VoicemailEvents.messageAbandoned, messageAbandonedEvent(session, stage, recordedMs, at), session.traceparent);
    await this.sessions.end(tx, session.messageId, 'abandoned', at);
  }
}
