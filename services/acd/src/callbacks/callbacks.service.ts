import { currentTraceparent } from '@lianluo/observability';
import { inTransaction } from '@lianluo/postgres';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { ConfigurationRepository } from '../configuration/configuration.repository';
import type { ContactRequest } from '../contacts/contact';
import { ROUTING_CLOCK, type RoutingClock } from '../routing/routing-clock';
import { RoutingError } from '../routing/routing-error';
import { type ReleaseOptions, RoutingStore } from '../routing/routing-store';
import { identifier } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';
import { type AttemptEnd, type Callback, type CallbackAttempt, type CallbackDial, callbackCallId, callbackContactId, callbackOfContactId, isCallbackCallId } from './callback';
import { attemptEnded, callbackCancelled, callbackFailed, callbackRequested } from './callback-event';
import { type CallbackRequestInput, parseCallbackRequest } from './callback-request';
import { CallbacksRepository } from './callbacks.repository';
import { CallbackEventsRelay } from './callbacks.events';
import { afterAttempt, type RetrySchedule } from './retry-schedule';

export interface CallbacksOptions {
  /** Attempts a callback may take when its request does not say (ACD_CALLBACK_MAX_ATTEMPTS). */
  readonly defaultMaxAttempts: number;
  readonly schedule: RetrySchedule;
  /** How long the customer's phone rings (ACD_CALLBACK_RING_MS), then the agent's (ACD_CALLBACK_AGENT_RING_MS). */
  readonly ringMs: number;
  readonly agentRingMs: number;
  /** Callbacks one scheduler transaction takes (ACD_TIMER_BATCH). */
  readonly batch: number;
}

export const CALLBACKS_OPTIONS = Symbol('CallbacksOptions');

/** Beyond both ring times: how long a dial may stay open before the timers take it for one a dead replica left. */
const DIAL_GRACE_MS = 60_000;

/** What openDial found: the dial to make, or why there is none. */
export type OpenedDial = { readonly dial: CallbackDial } | { readonly refused: 'dialled-elsewhere' | 'callback-gone' };

/**
 * Callbacks (VM-2), kept in PostgreSQL: requested, queued as contacts of channel CALLBACK
 * when due (keeping the customer's place), dialled when an agent takes one, tried again
 * on a schedule when the customer is not reached, and cancelled. Every change commits
 * with its events (acd.event_outbox). Live routing state stays in Redis: a queued
 * callback is a contact like any other, `<callbackId>@<attempt>`.
 *
 * Order of the two stores: a contact is enqueued while its row is locked, so whoever
 * reads the row next (the dialler, a cancel) finds it queued; a contact is released
 * before its attempt is recorded, so a crash in between leaves a dial the timers recover
 * rather than an agent held busy.
 */
@Injectable()
export class CallbacksService {
  private readonly logger = new Logger(CallbacksService.name);

  constructor(
    private readonly repository: CallbacksRepository,
    private readonly store: RoutingStore,
    private readonly configuration: ConfigurationRepository,
    private readonly events: CallbackEventsRelay,
    @Inject(ROUTING_CLOCK) private readonly clock: RoutingClock,
    @Inject(CALLBACKS_OPTIONS) private readonly options: CallbacksOptions,
  ) {}

  /**
   * Stores a callback and, unless it has an appointment, queues it at once. A callback id
   * already stored changes nothing (`duplicate`). The callback keeps the active trace, which
   * its events and attempts continue. Throws InvalidInput naming bad fields,
   * RoutingError for a queue or skill the tenant does not have.
   */
  async request(tenant: string, input: CallbackRequestInput): Promise<{ callback: Callback; duplicate: boolean }> {
    const nowMs = this.clock.now();
    const plan = parseCallbackRequest(input, nowMs, this.options.defaultMaxAttempts);
    const stored = await this.repository.find(this.repository.pool, tenant, plan.callbackId);
    if (stored !== undefined) return { callback: stored, duplicate: true };
    const names = await this.configuration.names(tenant);
    if (!names.queues.has(plan.queue)) throw new RoutingError('unknown-queue', `queue ${plan.queue} is not configured`, 'queue');
    const skill = names.skills.size === 0 ? undefined : Object.keys(plan.requiredSkills).find((name) => !names.skills.has(name));
    if (skill !== undefined) throw new RoutingError('unknown-skill', `skill ${skill} is not in the tenant's catalogue`, `requiredSkills.${skill}`);
    const outcome = await this.inTransaction(async (tx) => {
      const created = await this.repository.insert(tx, tenant, plan, nowMs, currentTraceparent());
      if (created === undefined) return { callback: (await this.repository.find(tx, tenant, plan.callbackId))!, duplicate: true };
      await this.events.add(tx, [callbackRequested(created, nowMs)]);
      return { callback: created.notBeforeMs <= nowMs ? await this.queue(tx, created, nowMs) : created, duplicate: false };
    });
    await this.relayEvents();
    return outcome;
  }

  /** A callback and its attempts; throws RoutingError `unknown-callback`. */
  async find(tenant: string, callbackId: string): Promise<{ callback: Callback; attempts: CallbackAttempt[] }> {
    const id = parseInput(identifier, callbackId, 'callbackId');
    const callback = await this.repository.find(this.repository.pool, tenant, id);
    if (callback === undefined) throw this.unknown(id);
    return { callback, attempts: await this.repository.attempts(this.repository.pool, tenant, id) };
  }

  /**
   * Withdraws a scheduled or queued callback (its contact is withdrawn from the queue).
   * Refused while the customer is dialled and once it is over; cancelling a cancelled
   * callback again is a `duplicate`.
   */
  async cancel(tenant: string, callbackId: string): Promise<{ callback: Callback; duplicate: boolean }> {
    const id = parseInput(identifier, callbackId, 'callbackId');
    const nowMs = this.clock.now();
    const outcome = await this.inTransaction(async (tx) => {
      const locked = await this.repository.lock(tx, tenant, id);
      if (locked === undefined) throw this.unknown(id);
      const { callback } = locked;
      if (callback.status === 'cancelled') return { callback, duplicate: true };
      if (callback.status === 'completed' || callback.status === 'failed') throw new RoutingError('callback-over', `callback ${id} is over (${callback.status})`, 'callbackId');
      if (callback.status === 'dialling') throw this.dialling(id);
      if (callback.status === 'queued' && callback.contactId !== undefined) await this.withdrawContact(tenant, callback.contactId, id);
      const cancelled = await this.repository.finish(tx, callback, 'cancelled', nowMs);
      await this.events.add(tx, [callbackCancelled(cancelled, callback.status, 'withdrawn', nowMs)]);
      return { callback: cancelled, duplicate: false };
    });
    await this.relayEvents();
    return outcome;
  }

  /**
   * Queues every scheduled callback that is due (appointment reached, retry time passed).
   * Any replica may run it at any time: SKIP LOCKED hands each due callback to one of
   * them, and the enqueue is idempotent by contact id besides. Returns how many it took.
   */
  async queueDue(): Promise<number> {
    const nowMs = this.clock.now();
    let taken = 0;
    for (let batch = this.options.batch; batch === this.options.batch; taken += batch) {
      batch = await this.inTransaction(async (tx) => {
        const due = await this.repository.lockDue(tx, nowMs, this.options.batch);
        for (const callback of due) await this.queue(tx, callback, nowMs);
        return due.length;
      });
    }
    if (taken > 0) await this.relayEvents();
    return taken;
  }

  /**
   * Contact `contactId` is offered to `agent`: its callback is dialled now, before the
   * agent takes the offer, so a dial that cannot be recorded leaves the offer to ring out.
   * Refused when another dial of it is open (a repeated offer event), and when the
   * callback is no longer queued as this contact (the caller withdraws the contact).
   */
  async openDial(tenant: string, contactId: string, agent: { agentId: string; site: string }): Promise<OpenedDial> {
    const ref = callbackOfContactId(contactId);
    if (ref === undefined) throw new Error(`contact ${contactId} is not a callback's`);
    const nowMs = this.clock.now();
    return this.inTransaction(async (tx): Promise<OpenedDial> => {
      // Waits for a scheduler still queueing this callback (it holds the row until it commits).
      const locked = await this.repository.lock(tx, tenant, ref.callbackId);
      const callback = locked?.callback;
      if (callback?.status === 'dialling' && callback.contactId === contactId) return { refused: 'dialled-elsewhere' };
      if (callback?.status !== 'queued' || callback.contactId !== contactId) return { refused: 'callback-gone' };
      const dial: CallbackDial = {
        tenant,
        callbackId: callback.callbackId,
        attempt: ref.attempt,
        contactId,
        agentId: agent.agentId,
        agentSite: agent.site,
        number: callback.number,
        callSite: callback.site || agent.site,
        callId: callbackCallId(tenant, callback.callbackId, ref.attempt),
      };
      await this.repository.markDialling(tx, callback, dial, nowMs + this.options.ringMs + this.options.agentRingMs + DIAL_GRACE_MS, nowMs);
      return { dial };
    });
  }

  /** The offer went (rang out, taken back) before the agent took it: the callback waits in its queue again. */
  async reopenDial(dial: CallbackDial): Promise<void> {
    await this.inTransaction(async (tx) => {
      const locked = await this.repository.lock(tx, dial.tenant, dial.callbackId);
      if (locked?.callback.status === 'dialling' && locked.callback.contactId === dial.contactId) await this.repository.markQueued(tx, locked.callback, dial.attempt, dial.contactId, this.clock.now());
    });
  }

  /**
   * Ends an attempt: an agent whose customer was not reached is freed at once (no wrap-up;
   * paused when its own phone failed), then the attempt is recorded and the callback
   * completed, scheduled again or failed. A dial another replica already ended changes
   * nothing.
   */
  async closeDial(dial: CallbackDial, end: AttemptEnd): Promise<void> {
    if (end.outcome !== 'answered') {
      await this.releaseAgent(dial.tenant, dial.contactId, dial.agentId, { skipWrapUp: true, ...(end.agentNotReady ? { notReadyReason: end.agentNotReady } : {}) });
    }
    const nowMs = this.clock.now();
    const hungUpAlready = await this.inTransaction(async (tx) => {
      const locked = await this.repository.lock(tx, dial.tenant, dial.callbackId);
      if (locked?.callback.status !== 'dialling' || locked.callback.contactId !== dial.contactId) return false;
      const after = afterAttempt(locked.callback, end, this.options.schedule, nowMs);
      const ended = await this.repository.endDial(tx, locked.callback, dial, end, after, nowMs);
      await this.events.add(tx, attemptEnded(ended, dial, end, after, nowMs));
      return after.status === 'completed' && locked.callEnded;
    });
    // The conversation ended before it was recorded as one: its hang-up left the release to us.
    if (hungUpAlready) await this.releaseAgent(dial.tenant, dial.contactId, dial.agentId);
    await this.relayEvents();
  }

  /** Dials left open past their deadline by a replica that died, for the dialler to end. */
  async abandonedDials(): Promise<CallbackDial[]> {
    const callbacks = await this.repository.abandonedDials(this.repository.pool, this.clock.now(), this.options.batch);
    return callbacks.map((callback) => ({
      tenant: callback.tenant,
      callbackId: callback.callbackId,
      attempt: callback.rounds,
      contactId: callback.contactId!,
      agentId: callback.agentId!,
      agentSite: callback.agentSite!,
      number: callback.number,
      callSite: callback.callSite!,
      callId: callback.callId!,
    }));
  }

  /**
   * A call ended (call.hungup): when a callback placed it and its customer was talking to
   * the agent, the contact is released and the agent wraps up. During the dial the
   * dialler ends the attempt; the hang-up is noted for it.
   */
  async onCallEnded(tenant: string, callSite: string, callId: string): Promise<void> {
    if (!isCallbackCallId(callId)) return;
    const callback = await this.repository.noteCallEnded(this.repository.pool, tenant, callSite, callId, this.clock.now());
    if (callback?.status === 'completed' && callback.contactId !== undefined && callback.agentId !== undefined) {
      await this.releaseAgent(tenant, callback.contactId, callback.agentId);
    }
  }

  /**
   * A callback's queued contact ended without the dialler: withdrawn by cancel_contact
   * (the callback is cancelled), or overflowed to voicemail, where nothing can record a
   * call that was never placed (the callback fails).
   */
  async onContactEnded(tenant: string, contactId: string, how: 'contact-cancelled' | 'overflowed'): Promise<void> {
    const ref = callbackOfContactId(contactId);
    if (ref === undefined) return;
    const nowMs = this.clock.now();
    await this.inTransaction(async (tx) => {
      const locked = await this.repository.lock(tx, tenant, ref.callbackId);
      if (locked?.callback.status !== 'queued' || locked.callback.contactId !== contactId) return;
      const ended = await this.repository.finish(tx, locked.callback, how === 'overflowed' ? 'failed' : 'cancelled', nowMs);
      await this.events.add(tx, [how === 'overflowed' ? callbackFailed(ended, 'overflowed', nowMs) : callbackCancelled(ended, 'queued', how, nowMs)]);
    });
    await this.relayEvents();
  }

  /** Publishes the callbacks' outbox; failures are logged, the timers retry. */
  relayEvents(): Promise<number> {
    return this.events.relay().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'callback events not relayed yet; the timers retry');
      return 0;
    });
  }

  /** Queues a callback's next attempt as a contact that waits from the customer's waiting-since. */
  private async queue(tx: PoolClient, callback: Callback, nowMs: number): Promise<Callback> {
    const attempt = callback.rounds + 1;
    const contactId = callbackContactId(callback.callbackId, attempt);
    try {
      await this.store.enqueue(callback.tenant, contactOf(callback, contactId), callback.traceparent);
    } catch (error) {
      if (!(error instanceof RoutingError && (error.kind === 'unknown-queue' || error.kind === 'unknown-skill'))) throw error;
      // Its queue or a skill went since it was requested: it can never be queued.
      const failed = await this.repository.finish(tx, callback, 'failed', nowMs);
      await this.events.add(tx, [callbackFailed(failed, error.kind, nowMs)]);
      return failed;
    }
    return this.repository.markQueued(tx, callback, attempt, contactId, nowMs);
  }

  private async withdrawContact(tenant: string, contactId: string, callbackId: string): Promise<void> {
    try {
      await this.store.cancel(tenant, contactId, 'withdrawn');
    } catch (error) {
      if (error instanceof RoutingError && error.kind === 'contact-assigned') throw this.dialling(callbackId);
      // A contact Redis no longer knows (it lost its data) has nothing to withdraw.
      if (!(error instanceof RoutingError && error.kind === 'unknown-contact')) throw error;
    }
  }

  /** Releases a callback's contact; one released already (by a hang-up, another replica) is left as it is. */
  private async releaseAgent(tenant: string, contactId: string, agentId: string, options: ReleaseOptions = {}): Promise<void> {
    try {
      await this.store.release(tenant, contactId, agentId, options);
    } catch (error) {
      if (!(error instanceof RoutingError && error.kind === 'not-assigned')) throw error;
    }
  }

  private inTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.repository.pool, work);
  }

  private unknown(callbackId: string): RoutingError {
    return new RoutingError('unknown-callback', `callback ${callbackId} is not known`, 'callbackId');
  }

  private dialling(callbackId: string): RoutingError {
    return new RoutingError('callback-dialling', `callback ${callbackId} is being dialled`, 'callbackId');
  }
}

/** The contact of a callback's attempt: channel callback, waiting from the customer's waiting-since. */
function contactOf(callback: Callback, contactId: string): ContactRequest {
  return {
    contactId,
    queue: callback.queue,
    channel: 'callback',
    priority: callback.priority,
    requiredSkills: callback.requiredSkills,
    ...(callback.preferredAgent ? { preferredAgent: callback.preferredAgent } : {}),
    enqueuedAt: callback.waitingSinceMs,
    // An appointment is a due time too: the queue's dueWindowMs moves it ahead as it nears.
    ...(callback.appointmentMs === undefined ? {} : { dueAt: callback.appointmentMs }),
    ...(callback.site ? { site: callback.site } : {}),
    ...(callback.customerId ? { customerId: callback.customerId } : {}),
    data: callback.data,
  };
}
