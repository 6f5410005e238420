import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CallbackDialler } from '../callbacks/callback-dialler';
import { CallbacksService } from '../callbacks/callbacks.service';
import { ROUTING_CLOCK, type RoutingClock } from '../routing/routing-clock';
import { RoutingStore } from '../routing/routing-store';
import { RoutingEventsRelay } from '../routing/routing.events';

export interface RoutingTimersOptions {
  /** Pause between two passes; the loop does not start when `manual` (tests call tick()). */
  readonly intervalMs: number;
  readonly manual?: boolean;
  /** Contacts or agents one script call handles; a pass calls again while calls come back full. */
  readonly batch?: number;
  /** How often, by the routing clock, waiting contacts' new places are reported. */
  readonly positionIntervalMs?: number;
}

export const ROUTING_TIMERS_OPTIONS = Symbol('RoutingTimersOptions');

/** What one pass did, summed over tenants. */
export interface TimersPass {
  /** Offers that rang out (ring-no-answer). */
  rangOut: number;
  /** Agents whose wrap-up ended. */
  wrapUpsEnded: number;
  /** Contacts that moved on to their next routing step. */
  escalated: number;
  /** Contacts that left for their queue's overflow target. */
  overflowed: number;
  /** Contacts whose new place was reported. */
  positionsReported: number;
  /** Callbacks due (appointment reached, retry time passed) taken to their queue. */
  callbacksQueued: number;
  /** Callback dials left open by a replica that died, ended and tried again. */
  callbackDialsRecovered: number;
  /** Events relayed to JetStream, including those taken over from other replicas. */
  eventsRelayed: number;
}

/**
 * The routing timers of one replica, for every tenant: ring-no-answer (the agent made not
 * ready, the contact back to its original place and offered elsewhere), the end of
 * wrap-ups, routing steps that time out, overflow past a queue's wait limit, the rest of
 * a new skill profile's enrolment, waiting contacts' new places, callbacks that are due
 * and callback dials a dead replica left; then the relay of the events of all that.
 * Every replica runs the same loop: each timer is one atomic script (for callbacks, one
 * transaction that skips rows another holds) that takes what is due, so a due offer,
 * wrap-up or callback is handled once whichever replicas run at the same moment, and a
 * replica's death delays nothing.
 */
@Injectable()
export class RoutingTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RoutingTimers.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private lastPositionsAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: RoutingStore,
    private readonly relay: RoutingEventsRelay,
    private readonly callbacks: CallbacksService,
    private readonly callbackDialler: CallbackDialler,
    @Inject(ROUTING_TIMERS_OPTIONS) private readonly options: RoutingTimersOptions,
    @Inject(ROUTING_CLOCK) private readonly clock: RoutingClock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.manual) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every tenant, by the routing clock. */
  async tick(): Promise<TimersPass> {
    const pass: TimersPass = { rangOut: 0, wrapUpsEnded: 0, escalated: 0, overflowed: 0, positionsReported: 0, callbacksQueued: 0, callbackDialsRecovered: 0, eventsRelayed: 0 };
    const now = this.clock.now();
    const reportPositions = now - this.lastPositionsAt >= (this.options.positionIntervalMs ?? 5_000);
    if (reportPositions) this.lastPositionsAt = now;
    try {
      // Before the tenants' sweeps, which relay the events of the contacts these queue.
      pass.callbacksQueued += await this.callbacks.queueDue();
      pass.callbackDialsRecovered += await this.callbackDialler.recoverAbandonedDials();
      pass.eventsRelayed += await this.callbacks.relayEvents();
    } catch (error) {
      // PostgreSQL away must not stop the routing timers.
      this.logger.warn({ err: error }, 'callback timers failed; next pass retries');
    }
    for (const tenant of await this.store.tenants()) {
      try {
        await this.sweep(tenant, pass, reportPositions);
      } catch (error) {
        // One tenant's failure (Redis away, NATS away) must not stop the others' timers.
        this.logger.warn({ tenant, err: error }, 'routing timers failed for a tenant; next pass retries');
      }
    }
    return pass;
  }

  private async sweep(tenant: string, pass: TimersPass, reportPositions: boolean): Promise<void> {
    const batch = this.options.batch ?? 100;
    // Each call takes at most `batch` due items; call again while a call came back full.
    const drain = async (take: () => Promise<number>): Promise<number> => {
      let total = 0;
      for (let taken = batch; taken >= batch; total += taken) taken = await take();
      return total;
    };
    pass.rangOut += await drain(async () => (await this.store.expireOffers(tenant, batch)).rangOut.length);
    pass.wrapUpsEnded += await drain(async () => (await this.store.endWrapUps(tenant, batch)).agents.length);
    pass.escalated += await drain(async () => (await this.store.escalateSteps(tenant, batch)).contacts.length);
    pass.overflowed += await drain(async () => (await this.store.overflowContacts(tenant, batch)).contacts.length);
    await this.store.finishEnrolments(tenant);
    if (reportPositions) pass.positionsReported += await this.store.announcePositions(tenant);
    pass.eventsRelayed += await this.relay.relay(tenant);
    pass.eventsRelayed += await this.relay.reclaim(tenant);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.error({ err: error }, 'routing timers pass failed'))
        .finally(() => this.schedule());
    }, this.options.intervalMs);
  }
}
