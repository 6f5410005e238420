import { create } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { CallCommands, Channel, type ContactOffered, ErrorKind } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ROUTING_CLOCK, type RoutingClock } from '../routing/routing-clock';
import { RoutingError } from '../routing/routing-error';
import { RoutingStore } from '../routing/routing-store';

/** What became of an offer the voice integration dialled. */
export type VoiceOfferOutcome = 'not-a-call' | 'answered' | 'ring-no-answer' | 'unreachable' | 'offer-gone' | 'caller-gone' | 'agent-gone' | 'gateway-unavailable';

const RING = { minMs: 1_000, maxMs: 300_000 } as const;
/** Dials that ended at the agent's side: no answer in time, busy or refused, a phone that does not exist. */
export const REFUSED_DIALS: ReadonlySet<ErrorKind> = new Set([ErrorKind.TIMEOUT, ErrorKind.FAILED_PRECONDITION, ErrorKind.INVALID_ARGUMENT, ErrorKind.NOT_FOUND]);
/** Beyond the ring time: how long the gateway may take to report the dial's end. */
export const REPLY_MARGIN_MS = 5_000;
/** How long a bridge or hang-up may take. */
export const BRIDGE_TIMEOUT_MS = 5_000;

/**
 * Connects a voice contact offered to an agent: the caller's site's media gateway dials
 * the agent's phone (at the agent's site, or through the inter-site trunk) for as long as
 * the offer rings, and on answer the acd takes the offer as accepted and has the leg
 * bridged to the caller. No answer in time is ring-no-answer (the agent made not ready,
 * the call back at its place); a phone that is busy or cannot be dialled makes the agent
 * not ready as `unreachable`; a gateway that does not answer leaves the offer to ring out. Every command carries an id made from the offer, so a redelivered
 * offer asks the gateway again and gets the first outcome.
 */
@Injectable()
export class VoiceService {
  private readonly logger = new Logger(VoiceService.name);

  constructor(
    private readonly store: RoutingStore,
    private readonly commands: CommandClient,
    @Inject(ROUTING_CLOCK) private readonly clock: RoutingClock,
  ) {}

  async connect(tenant: string, offer: ContactOffered): Promise<VoiceOfferOutcome> {
    const contact = offer.contact;
    const call = contact?.call;
    if (contact?.channel !== Channel.VOICE || call === undefined || offer.agentPhone === undefined || offer.agent === undefined) return 'not-a-call';
    const ref = { contactId: contact.contactId, agentId: offer.agent.agentId, attempt: offer.attempt };
    const id = `${tenant}:${contact.contactId}:${offer.attempt}:${offer.agent.agentId}`;
    const ringMs = Math.min(RING.maxMs, Math.max(RING.minMs, (offer.deadline ? timestampMs(offer.deadline) : 0) - this.clock.now()));

    const leg = await this.commands.request(
      CallCommands.originateLeg,
      create(CallCommands.originateLeg.request, { commandId: `${id}:originate`, call, destination: offer.agentPhone, timeoutMs: ringMs }),
      { timeoutMs: ringMs + REPLY_MARGIN_MS },
    );
    if (!leg.ok) {
      const kind = leg.error.kind;
      if (kind === ErrorKind.GONE) return 'caller-gone'; // its call.hungup ends the contact
      if (!REFUSED_DIALS.has(kind)) {
        // The gateway did not answer: not the agent's fault. The offer rings out (RONA) if
        // nobody answers it by then.
        this.logger.warn({ tenant, offer: id, error: leg.error.message }, 'media gateway did not dial the agent');
        return 'gateway-unavailable';
      }
      const reason = kind === ErrorKind.TIMEOUT ? 'ring-no-answer' : 'unreachable';
      if (reason === 'unreachable') this.logger.warn({ tenant, offer: id, error: leg.error.message }, 'agent phone could not be dialled');
      return (await this.decline(tenant, ref, reason)) ? reason : 'offer-gone';
    }

    // Accept before bridging: an offer that rang out or was taken back meanwhile must not
    // reach the caller, so its leg is hung up instead.
    try {
      await this.store.accept(tenant, ref);
    } catch (error) {
      if (!(error instanceof RoutingError && error.kind === 'not-offered')) throw error;
      await this.hangUpLeg(call, leg.value.legId, `${id}:hang-up`);
      return 'offer-gone';
    }
    const bridged = await this.commands.request(
      CallCommands.bridgeLegs,
      create(CallCommands.bridgeLegs.request, { commandId: `${id}:bridge`, call, legId: leg.value.legId, endTogether: true }),
      { timeoutMs: BRIDGE_TIMEOUT_MS },
    );
    if (!bridged.ok) {
      await this.hangUpLeg(call, leg.value.legId, `${id}:hang-up`);
      this.logger.warn({ tenant, offer: id, error: bridged.error.message }, 'answered agent leg could not be bridged');
      // The caller left between answer and bridge: its call.hungup releases the contact. But
      // when it is the agent who hung up first, the caller is still there: back to its place.
      if (!(await this.callerStillThere(call, `${id}:caller-check`))) return 'caller-gone';
      try {
        await this.store.transfer(tenant, { contactId: contact.contactId, byAgent: offer.agent.agentId });
        return 'agent-gone';
      } catch (error) {
        // Released meanwhile (the caller hung up after all): nothing to put back.
        if (error instanceof RoutingError) return 'caller-gone';
        throw error;
      }
    }
    return 'answered';
  }

  /** Whether the caller's call is still up (a harmless read of it that answers GONE when not). */
  private async callerStillThere(call: NonNullable<NonNullable<ContactOffered['contact']>['call']>, commandId: string): Promise<boolean> {
    const outcome = await this.commands.request(CallCommands.getVariable, create(CallCommands.getVariable.request, { commandId, call, name: 'CHANNEL(state)' }), {
      timeoutMs: BRIDGE_TIMEOUT_MS,
    });
    return outcome.ok;
  }

  /** Ring-no-answer or an unreachable phone: false when the offer had already ended. */
  private async decline(tenant: string, ref: { contactId: string; agentId: string; attempt: number }, reason: string): Promise<boolean> {
    try {
      await this.store.reject(tenant, ref, reason);
      return true;
    } catch (error) {
      if (error instanceof RoutingError && error.kind === 'not-offered') return false;
      throw error;
    }
  }

  private async hangUpLeg(call: NonNullable<NonNullable<ContactOffered['contact']>['call']>, legId: string, commandId: string): Promise<void> {
    const outcome = await this.commands.request(CallCommands.hangUpLeg, create(CallCommands.hangUpLeg.request, { commandId, call, legId }), { timeoutMs: BRIDGE_TIMEOUT_MS });
    if (!outcome.ok && outcome.error.kind !== ErrorKind.GONE) this.logger.warn({ legId, error: outcome.error.message }, 'agent leg could not be hung up');
  }
}
