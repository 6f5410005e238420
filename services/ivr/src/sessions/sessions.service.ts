import { contextOfTraceparent, currentTraceparent, registeredMetric } from '@lianluo/observability';
import { CLOCK, CallEventsTap, CallFailed, CallerLeft, type Clock, GatewayCall, SHUTTING_DOWN } from '@lianluo/call-client';
import { type CallRef, type CallStarted } from '@lianluo/contracts';
import { CommandClient, EventPublisher } from '@lianluo/messaging';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { CallersRepository } from '../callers/callers.repository';
import { type Flow } from '../flows/flow.schema';
import { FlowsService } from '../flows/flows.service';
import { IVR_CONFIG, type IvrConfig } from '../ivr.config';
import { FlowRunner } from './flow-runner';
import { GatewayCallPort, type Queued } from './gateway-call-port';
import { QueueWait, type WaitOutcome, type WaitPrompts } from './queue-wait';
import { type FlowCheckpoint } from './call-port';
import { type CallerOfSession, type OrphanedSession, SessionsRepository } from './sessions.repository';

type SessionOutcome = Awaited<ReturnType<FlowRunner['run']>>['outcome'] | WaitOutcome | 'no_flow';

/** Sessions a replica takes over at once, so one sweep stays short. */
const TAKE_OVER_BATCH = 50;

/**
 * The ivr's calls: each call.started is claimed once (PostgreSQL), answered, run through
 * the flow for its tenant and dialled number, and, once queued, kept company while it
 * waits (music, announcements, voicemail and callback offers) until an agent, voicemail
 * or a callback takes over. The replica driving a session beats for it; when it dies,
 * another takes the session over and picks the call up again.
 */
@Injectable()
export class SessionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionsService.name);
  private readonly running = new Set<Promise<void>>();
  /** This replica, as the owner of its sessions. */
  private readonly owner = randomUUID();
  private beat: NodeJS.Timeout | undefined;
  private beating = false;
  private readonly prompts: WaitPrompts;
  private readonly ended =
    registeredMetric('lianluo_ivr_sessions_ended_total', () => new Counter({ name: 'lianluo_ivr_sessions_ended_total', help: 'Calls the ivr drove, by how they left it.', labelNames: ['outcome'] }));

  constructor(
    private readonly flows: FlowsService,
    private readonly sessions: SessionsRepository,
    private readonly callers: CallersRepository,
    private readonly commands: CommandClient,
    private readonly events: EventPublisher,
    private readonly tap: CallEventsTap,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IVR_CONFIG) private readonly config: IvrConfig,
  ) {
    this.prompts = {
      position: config.POSITION_PROMPT,
      positionAfter: config.POSITION_AFTER_PROMPT,
      wait: config.WAIT_PROMPT,
      waitAfter: config.WAIT_AFTER_PROMPT,
      voicemailOffer: config.VOICEMAIL_OFFER_PROMPT,
      callbackOffer: config.CALLBACK_OFFER_PROMPT,
    };
  }

  onApplicationBootstrap(): void {
    this.beat = setInterval(() => void this.heartbeat(), this.config.SESSION_HEARTBEAT_MS).unref();
  }

  /** Takes a new call unless another delivery of its start already did. */
  async start(started: CallStarted): Promise<void> {
    const call = started.call as CallRef; // validated by the contract
    const found = this.flows.find(started.dnis, call.tenant);
    const caller = { number: started.ani, name: started.aniName, dialled: started.dnis };
    if (!(await this.sessions.claim(call, found?.file ?? '', caller, this.owner, currentTraceparent() ?? ''))) return;
    this.run(this.drive(call, caller, found, {}));
  }

  /**
   * A rolling upgrade lets the flows in progress reach a queue first (SHUTDOWN_GRACE_MS);
   * the sessions still going then stop beating and another replica takes them over.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.beat);
    if (this.running.size === 0) return;
    let timer: unknown;
    const grace = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    this.clock.clearTimeout(timer);
  }

  /** Beats for this replica's sessions, then takes over those whose replica went quiet. */
  private async heartbeat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.sessions.heartbeat(this.owner);
      for (const orphan of await this.sessions.takeOver(this.owner, this.config.SESSION_STALE_MS, TAKE_OVER_BATCH)) this.resume(orphan);
    } catch (error) {
      this.logger.warn({ err: error }, 'session heartbeat failed; retrying at the next beat');
    } finally {
      this.beating = false;
    }
  }

  private resume(orphan: OrphanedSession): void {
    const at = orphan.queued ? 'waiting' : (orphan.checkpoint?.step ?? 'start');
    this.logger.warn({ callId: orphan.call.callId, at }, 'taking over a session whose replica went quiet');
    const found = this.flows.find(orphan.caller.dialled, orphan.call.tenant);
    // In the call's trace, as the replica that started it was.
    const trace = contextOfTraceparent(orphan.traceparent) ?? ROOT_CONTEXT;
    this.run(context.with(trace, () => this.drive(orphan.call, orphan.caller, found, { waiting: orphan.queued, checkpoint: orphan.checkpoint })));
  }

  private run(session: Promise<void>): void {
    const tracked = session.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /**
   * Drives a call through its flow and the wait. A session taken over picks up a caller
   * already waiting in a queue (`waiting`), or goes on with the flow from its checkpoint.
   */
  private async drive(
    call: CallRef,
    caller: CallerOfSession,
    found: { file: string; flow: Flow } | undefined,
    resumed: { readonly waiting?: Queued; readonly checkpoint?: FlowCheckpoint },
  ): Promise<void> {
    const watch = this.tap.watch(call);
    const gateway = new GatewayCall(this.commands, call, watch, { commandTimeoutMs: this.config.COMMAND_TIMEOUT_MS, commandIdPrefix: `ivr:${call.callId}` });
    const port = new GatewayCallPort(gateway, {
      commands: this.commands,
      events: this.events,
      callers: this.callers,
      clock: this.clock,
      commandTimeoutMs: this.config.COMMAND_TIMEOUT_MS,
      flow: found?.file ?? '',
      callerNumber: caller.number,
      // Without it only a takeover loses the wait's music and offers; the caller stays queued either way.
      onQueued: (queued) => this.sessions.queued(call, queued).catch((error: Error) => this.logger.warn({ callId: call.callId, err: error }, 'queued session not recorded')),
      // Without it a takeover plays the flow again from its start.
      onCheckpoint: (at) => this.sessions.checkpoint(call, at).catch((error: Error) => this.logger.warn({ callId: call.callId, err: error }, 'flow checkpoint not recorded')),
    });
    let outcome: SessionOutcome = 'failed';
    // Cut short by this replica's shutdown: left live for another replica to take over.
    let handedOver = false;
    try {
      if (resumed.waiting) port.resumeWait(resumed.waiting);
      else {
        // A checkpoint was written after the answer: the call is answered already.
        if (!resumed.checkpoint) await gateway.answer();
        if (!found) {
          this.logger.warn({ tenant: call.tenant, dnis: caller.dialled, callId: call.callId }, 'no flow answers this number');
          outcome = 'no_flow';
          await gateway.play(this.config.NO_FLOW_PROMPT, false);
          await gateway.hangUp();
          return;
        }
        const result = await new FlowRunner(found.flow, port, caller, () => new Date(this.clock.now()), resumed.checkpoint).run();
        outcome = result.outcome;
        if (result.outcome !== 'queued' || !port.queued) return;
      }
      const { request } = port.queued as Queued;
      const rule = { announceEveryMs: request.announceEveryMs, offerEveryMs: request.offerEveryMs, voicemailKey: request.voicemailKey, callbackKey: request.callbackKey };
      outcome = await new QueueWait(port, rule, this.prompts, this.clock).run();
      if (outcome === 'callback') {
        await gateway.play(this.config.CALLBACK_BOOKED_PROMPT, false);
        await gateway.hangUp();
      }
    } catch (error) {
      if (error instanceof CallerLeft) outcome = 'caller_left';
      else if (error instanceof CallFailed && error.step === SHUTTING_DOWN) {
        handedOver = true;
        this.logger.warn({ callId: call.callId }, 'ivr session cut short by shutdown; another replica takes it over');
      } else {
        this.logger.error({ callId: call.callId, err: error }, 'ivr session failed; hanging up');
        await gateway.hangUp().catch(() => undefined);
      }
    } finally {
      watch.close();
      if (!handedOver) {
        this.ended.inc({ outcome });
        await this.sessions.end(call, outcome, port.queued ? call.callId : '').catch((error: Error) => this.logger.warn({ callId: call.callId, err: error }, 'session end not recorded'));
      }
    }
  }
}
