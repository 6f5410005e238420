import { CLOCK, CallEventsTap, CallFailed, CallerLeft, type Clock, GatewayCall, SHUTTING_DOWN } from '@lianluo/call-client';
import { type CallRef, type CallStarted } from '@lianluo/contracts';
import { CommandClient, EventPublisher } from '@lianluo/messaging';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { CallersRepository } from '../callers/callers.repository';
import { type Flow } from '../flows/flow.schema';
import { FlowsService } from '../flows/flows.service';
import { IVR_CONFIG, type IvrConfig } from '../ivr.config';
import { FlowRunner } from './flow-runner';
import { GatewayCallPort } from './gateway-call-port';
import { QueueWait, type WaitOutcome, type WaitPrompts } from './queue-wait';
import { SessionsRepository } from './sessions.repository';

type SessionOutcome = Awaited<ReturnType<FlowRunner['run']>>['outcome'] | WaitOutcome | 'no_flow';

/**
 * The ivr's calls: each call.started is claimed once (PostgreSQL), answered, run through
 * the flow for its tenant and dialled number, and, once queued, kept company while it
 * waits (music, announcements, voicemail and callback offers) until an agent, voicemail
 * or a callback takes over.
 */
@Injectable()
export class SessionsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionsService.name);
  private readonly running = new Set<Promise<void>>();
  private readonly prompts: WaitPrompts;
  private readonly ended =
    (register.getSingleMetric('lianluo_ivr_sessions_ended_total') as Counter<'outcome'> | undefined) ??
    new Counter({ name: 'lianluo_ivr_sessions_ended_total', help: 'Calls the ivr drove, by how they left it.', labelNames: ['outcome'] });

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

  /** Takes a new call unless another delivery of its start already did. */
  async start(started: CallStarted): Promise<void> {
    const call = started.call as CallRef; // validated by the contract
    const found = this.flows.find(started.dnis, call.tenant);
    if (!(await this.sessions.claim(call, found?.file ?? '', started.ani))) return;
    const session = this.drive(call, started, found).finally(() => this.running.delete(session));
    this.running.add(session);
  }

  /** A rolling upgrade lets the flows in progress reach a queue first (SHUTDOWN_GRACE_MS). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.running.size === 0) return;
    let timer: unknown;
    const grace = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    this.clock.clearTimeout(timer);
  }

  private async drive(call: CallRef, started: CallStarted, found: { file: string; flow: Flow } | undefined): Promise<void> {
    const watch = this.tap.watch(call);
    const gateway = new GatewayCall(this.commands, call, watch, { commandTimeoutMs: this.config.COMMAND_TIMEOUT_MS, commandIdPrefix: `ivr:${call.callId}` });
    const port = new GatewayCallPort(gateway, {
      commands: this.commands,
      events: this.events,
      callers: this.callers,
      clock: this.clock,
      commandTimeoutMs: this.config.COMMAND_TIMEOUT_MS,
      flow: found?.file ?? '',
      callerNumber: started.ani,
    });
    let outcome: SessionOutcome = 'failed';
    try {
      await gateway.answer();
      if (!found) {
        this.logger.warn({ tenant: call.tenant, dnis: started.dnis, callId: call.callId }, 'no flow answers this number');
        outcome = 'no_flow';
        await gateway.play(this.config.NO_FLOW_PROMPT, false);
        await gateway.hangUp();
        return;
      }
      const caller = { number: started.ani, name: started.aniName, dialled: started.dnis };
      const result = await new FlowRunner(found.flow, port, caller, () => new Date(this.clock.now())).run();
      outcome = result.outcome;
      if (result.outcome !== 'queued' || !port.queued) return;
      const { request } = port.queued;
      const rule = { announceEveryMs: request.announceEveryMs, offerEveryMs: request.offerEveryMs, voicemailKey: request.voicemailKey, callbackKey: request.callbackKey };
      outcome = await new QueueWait(port, rule, this.prompts, this.clock).run();
      if (outcome === 'callback') {
        await gateway.play(this.config.CALLBACK_BOOKED_PROMPT, false);
        await gateway.hangUp();
      }
    } catch (error) {
      if (error instanceof CallerLeft) outcome = 'caller_left';
      else if (error instanceof CallFailed && error.step === SHUTTING_DOWN) {
        this.logger.warn({ callId: call.callId }, 'ivr session cut short by shutdown');
      } else {
        this.logger.error({ callId: call.callId, err: error }, 'ivr session failed; hanging up');
        await gateway.hangUp().catch(() => undefined);
      }
    } finally {
      watch.close();
      this.ended.inc({ outcome });
      await this.sessions.end(call, outcome, port.queued ? call.callId : '').catch((error: Error) => this.logger.warn({ callId: call.callId, err: error }, 'session end not recorded'));
    }
  }
}
