import { create } from '@bufbuild/protobuf';
import { CallCommands, Channel, type CommandError, type ContactOffered, ErrorKind, type LegDestination } from '@lianluo/contracts';
import { CommandClient, type CommandOutcome } from '@lianluo/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingError } from '../routing/routing-error';
import { RoutingStore } from '../routing/routing-store';
import { BRIDGE_TIMEOUT_MS, REFUSED_DIALS, REPLY_MARGIN_MS } from '../voice/voice.service';
import { type AttemptEnd, type CallbackDial, type CallbackOutcome, callbackOfContactId } from './callback';
import { CALLBACKS_OPTIONS, type CallbacksOptions, CallbacksService } from './callbacks.service';

/** What became of a callback offer the dialler took. */
export type CallbackOfferOutcome = CallbackOutcome | 'not-a-callback' | 'offer-gone' | 'no-agent-phone' | 'dialled-elsewhere' | 'callback-gone';

/** How a dial ended, and whether the customer's call is still up and must be hung up. */
type DialEnd = AttemptEnd & { readonly hangUpCall: boolean };

/** Customer-side failures of place_call, counted against the customer's attempts. */
const CUSTOMER_FAILURES: ReadonlyMap<ErrorKind, CallbackOutcome> = new Map([
  [ErrorKind.TIMEOUT, 'no_answer'],
  [ErrorKind.FAILED_PRECONDITION, 'busy'],
  [ErrorKind.INVALID_ARGUMENT, 'failed'],
  [ErrorKind.NOT_FOUND, 'failed'],
  [ErrorKind.UNAVAILABLE, 'failed'],
  [ErrorKind.GONE, 'failed'],
]);

/**
 * The voice side of callbacks: when a callback's contact is offered, the agent takes it at
 * once and the media gateway of the callback's site (the agent's when it names none)
 * places a call to the customer (call.place_call, with a call id made from the contact,
 * so a repeated command is the same call). On answer the agent's phone is dialled on that
 * call and bridged to it (end together): the callback is completed, and the call's
 * hang-up releases the contact (wrap-up) as for any call.
 *
 * A customer who does not answer, is busy or cannot be dialled is a failed attempt: the
 * contact is released without wrap-up, the agent ready for the next contact, and the
 * callback scheduled again or failed. An agent whose phone does not answer once the
 * customer did is paused as for ring-no-answer, the customer's call hung up, and the
 * callback queued again soon, not counted against the customer.
 */
@Injectable()
export class CallbackDialler {
  private readonly logger = new Logger(CallbackDialler.name);

  constructor(
    private readonly store: RoutingStore,
    private readonly callbacks: CallbacksService,
    private readonly commands: CommandClient,
    private readonly runner: RoutingCommandRunner,
    @Inject(CALLBACKS_OPTIONS) private readonly options: CallbacksOptions,
  ) {}

  async connect(tenant: string, offer: ContactOffered): Promise<CallbackOfferOutcome> {
    const contact = offer.contact;
    if (contact?.channel !== Channel.CALLBACK || offer.agent === undefined || callbackOfContactId(contact.contactId) === undefined) return 'not-a-callback';
    const ref = { contactId: contact.contactId, agentId: offer.agent.agentId, attempt: offer.attempt };
    if (offer.agentPhone === undefined) {
      // Nothing to dial the agent on: as for a phone that cannot be dialled, the agent is
      // paused and the callback goes back to its place.
      return (await this.settle(() => this.store.reject(tenant, ref, 'unreachable'))) ? 'no-agent-phone' : 'offer-gone';
    }
    const opened = await this.callbacks.openDial(tenant, contact.contactId, offer.agent);
    if ('refused' in opened) {
      // A contact left over from a callback that moved on: withdrawn, its agent free at once.
      if (opened.refused === 'callback-gone') await this.settle(() => this.store.cancel(tenant, contact.contactId, 'withdrawn'));
      return opened.refused;
    }
    if (!(await this.settle(() => this.store.accept(tenant, ref)))) {
      await this.callbacks.reopenDial(opened.dial);
      return 'offer-gone';
    }
    // The agent's desktop shows the callback taken while the customer's phone rings.
    await this.runner.relayNow(tenant);
    const end = await this.dial(opened.dial, offer.agentPhone);
    await this.callbacks.closeDial(opened.dial, end);
    // After the release: this hang-up's call.hungup finds the contact released already.
    if (end.hangUpCall) await this.hangUpCall(opened.dial);
    return end.outcome;
  }

  /** Runs a change of the offer; false when the offer (or contact) had already ended. */
  private async settle(change: () => Promise<unknown>): Promise<boolean> {
    try {
      await change();
      return true;
    } catch (error) {
      if (error instanceof RoutingError && (error.kind === 'not-offered' || error.kind === 'contact-assigned' || error.kind === 'unknown-contact')) return false;
      throw error;
    }
  }

  /** Ends the dials replicas that died left open: the call hung up, the agent freed, the callback queued again. */
  async recoverAbandonedDials(): Promise<number> {
    const dials = await this.callbacks.abandonedDials();
    for (const dial of dials) {
      this.logger.warn({ tenant: dial.tenant, contactId: dial.contactId }, 'a callback dial was left open; it is ended and tried again');
      await this.callbacks.closeDial(dial, { outcome: 'failed', counted: false });
      await this.hangUpCall(dial);
    }
    return dials.length;
  }

  private async dial(dial: CallbackDial, agentPhone: LegDestination): Promise<DialEnd> {
    const call = { tenant: dial.tenant, site: dial.callSite, callId: dial.callId };
    const id = `${dial.tenant}:${dial.contactId}`;
    const { ringMs, agentRingMs } = this.options;
    const placed = await this.commands.request(
      CallCommands.placeCall,
      create(CallCommands.placeCall.request, { commandId: `${id}:place`, call, destination: { target: { case: 'pstnNumber', value: dial.number } }, timeoutMs: ringMs }),
      { timeoutMs: ringMs + REPLY_MARGIN_MS },
    );
    if (!placed.ok) return this.customerNotReached(dial, placed.error);

    const leg = await this.commands.request(
      CallCommands.originateLeg,
      create(CallCommands.originateLeg.request, { commandId: `${id}:originate`, call, destination: agentPhone, timeoutMs: agentRingMs }),
      { timeoutMs: agentRingMs + REPLY_MARGIN_MS },
    );
    if (!leg.ok) {
      const kind = leg.error.kind;
      // The customer hung up while the agent's phone rang.
      if (kind === ErrorKind.GONE) return { outcome: 'failed', counted: true, hangUpCall: false };
      this.logger.warn({ tenant: dial.tenant, contactId: dial.contactId, error: leg.error.message }, "the agent's phone did not take the callback");
      const agentNotReady = kind === ErrorKind.TIMEOUT ? 'ring-no-answer' : REFUSED_DIALS.has(kind) ? 'unreachable' : undefined;
      return agentNotReady === undefined
        ? { outcome: 'failed', counted: false, hangUpCall: true }
        : { outcome: 'agent_unreachable', counted: false, agentNotReady, hangUpCall: true };
    }

    const bridged = await this.commands.request(
      CallCommands.bridgeLegs,
      create(CallCommands.bridgeLegs.request, { commandId: `${id}:bridge`, call, legId: leg.value.legId, endTogether: true }),
      { timeoutMs: BRIDGE_TIMEOUT_MS },
    );
    if (bridged.ok) return { outcome: 'answered', counted: true, hangUpCall: false };
    // The customer left between the agent's answer and the bridge.
    await this.hangUp(
      'agent leg',
      this.commands.request(CallCommands.hangUpLeg, create(CallCommands.hangUpLeg.request, { commandId: `${id}:hang-up-leg`, call, legId: leg.value.legId }), {
        timeoutMs: BRIDGE_TIMEOUT_MS,
      }),
    );
    return { outcome: 'failed', counted: true, hangUpCall: true };
  }

  /** place_call failed: the customer's doing (counted), or the gateway's (not counted; a call it may have placed is hung up). */
  private customerNotReached(dial: CallbackDial, error: CommandError): DialEnd {
    const outcome = CUSTOMER_FAILURES.get(error.kind);
    if (outcome !== undefined) return { outcome, counted: true, hangUpCall: false };
    this.logger.warn({ tenant: dial.tenant, contactId: dial.contactId, error: error.message }, 'the media gateway did not place the callback');
    return { outcome: 'failed', counted: false, hangUpCall: true };
  }

  private hangUpCall(dial: CallbackDial): Promise<void> {
    const call = { tenant: dial.tenant, site: dial.callSite, callId: dial.callId };
    return this.hangUp(
      'customer call',
      this.commands.request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: `${dial.tenant}:${dial.contactId}:hang-up`, call }), {
        timeoutMs: BRIDGE_TIMEOUT_MS,
      }),
    );
  }

  /** Waits for a hang-up: one of a call or leg already gone is done, any other failure is logged. */
  private async hangUp(what: string, request: Promise<CommandOutcome<unknown>>): Promise<void> {
    const outcome = await request;
    if (!outcome.ok && outcome.error.kind !== ErrorKind.GONE) this.logger.warn({ what, error: outcome.error.message }, 'a callback call could not be hung up');
  }
}
