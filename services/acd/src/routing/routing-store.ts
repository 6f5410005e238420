import type { RedisClient } from '@lianluo/redis';
import { tenantKey } from '@lianluo/redis';
import { parseAgentProfile, type AgentProfileInput } from '../agents/agent-profile';
import { type AgentSnapshot, type AgentState, agentStateOf, type Presence } from '../agents/agent-state';
import type { Channel } from '../contacts/channel';
import { type ContactRequest, type ContactState, parseContactRequest } from '../contacts/contact';
import { parseQueueDefinition, type QueueDefinitionInput } from '../queues/queue-definition';
import { strategyWeights } from '../strategies/routing-strategy';
import { identifier } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';
import { expectedWaitMs } from './expected-wait';
import { type RoutingClock, systemRoutingClock } from './routing-clock';
import { RoutingError, type RoutingErrorKind } from './routing-error';
import { type RoutingScriptName, RoutingScripts } from './routing-scripts';
import { encodeSkills, skillProfileOf } from './skill-profile';

/** A contact offered (ringing) to an agent. `attempt` tells this offer from later ones of the same contact. */
export interface Offer {
  readonly contactId: string;
  readonly agentId: string;
  readonly attempt: number;
  readonly deadlineMs: number;
}

/** Which offer an accept or reject answers. */
export type OfferRef = Pick<Offer, 'contactId' | 'agentId' | 'attempt'>;

export interface EnqueueResult {
  /** True when the contact id was already known: nothing changed. */
  readonly duplicate: boolean;
  readonly state: ContactState;
  /** 1 = next; 0 once offered or assigned. */
  readonly position: number;
  readonly offers: readonly Offer[];
}

export interface ContactPosition {
  readonly state: ContactState;
  readonly position: number;
  readonly waiting: number;
  readonly expectedWaitMs: number | undefined;
}

export interface RoutingStoreOptions {
  /** First segment of every key (`REDIS_KEY_PREFIX`); tests use a unique one per run. */
  readonly keyPrefix: string;
  readonly clock?: RoutingClock;
  /** Seeds the random strategy; returns an integer. */
  readonly seed?: () => number;
  /** How long a finished contact is remembered, so a redelivered enqueue stays a no-op. */
  readonly doneRetentionMs?: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_SWEEP_LIMIT = 100;

type Reply = [string, ...unknown[]];

function offersFrom(raw: unknown): Offer[] {
  return (raw as string[][]).map(([contactId, agentId, attempt, deadline]) => ({
    contactId,
    agentId,
    attempt: Number(attempt),
    deadlineMs: Number(deadline),
  }));
}

function encodeCapacity(capacity: Partial<Record<Channel, number>>): string {
  return Object.entries(capacity)
    .filter(([, slots]) => (slots ?? 0) > 0)
    .map(([channel, slots]) => `${channel}=${slots}`)
    .join(',');
}

function countsByChannel(hash: Record<string, string>, prefix: string): Partial<Record<Channel, number>> {
  const counts: Partial<Record<Channel, number>> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith(prefix)) counts[field.slice(prefix.length) as Channel] = Number(value);
  }
  return counts;
}

/**
 * The ACD's live routing state in Redis, one tenant at a time: every change is one
 * atomic script, so any number of replicas may call these at once. Every change that can
 * create offers returns them; the caller publishes them (contact.offered) and starts
 * the agent leg.
 */
export class RoutingStore {
  private readonly scripts: RoutingScripts;
  private readonly clock: RoutingClock;
  private readonly seed: () => number;
  private readonly doneRetentionMs: number;

  constructor(
    private readonly client: RedisClient,
    private readonly options: RoutingStoreOptions,
  ) {
    this.scripts = new RoutingScripts(client);
    this.clock = options.clock ?? systemRoutingClock;
    this.seed = options.seed ?? (() => Math.floor(Math.random() * 2 ** 31));
    this.doneRetentionMs = options.doneRetentionMs ?? DAY_MS;
  }

  /** `<prefix>:{<tenant>}`: KEYS[1] of every script. */
  baseKey(tenant: string): string {
    return tenantKey(this.options.keyPrefix, parseInput(identifier, tenant, 'tenant'));
  }

  private async run(tenant: string, script: RoutingScriptName, args: (string | number)[]): Promise<Reply> {
    return (await this.scripts.run(script, this.baseKey(tenant), [this.clock.now(), this.seed(), ...args])) as Reply;
  }

  private fail(kind: RoutingErrorKind, message: string): never {
    throw new RoutingError(kind, message);
  }

  async defineQueue(tenant: string, input: QueueDefinitionInput): Promise<'created' | 'changed'> {
    const queue = parseQueueDefinition(input);
    const weights = strategyWeights(queue.strategy, queue.weights);
    const [, outcome] = await this.run(tenant, 'define-queue', [
      queue.queue,
      ...['strategy', queue.strategy, 'wIdle', weights.idle, 'wHandled', weights.handled, 'wRoundRobin', weights.roundRobin],
      ...['wRandom', weights.random, 'wSkill', weights.skill, 'offerTimeoutMs', queue.offerTimeoutMs, 'wrapUpMs', queue.wrapUpMs],
      ...['priorityPointMs', queue.priorityPointMs, 'businessValuePointMs', queue.businessValuePointMs],
      ...['dueWindowMs', queue.dueWindowMs, 'ringAllLimit', queue.ringAllLimit],
    ]);
    return outcome as 'created' | 'changed';
  }

  /** Queues a contact and offers it at once if an agent is ready. A repeated contact id changes nothing. */
  async enqueue(tenant: string, request: ContactRequest): Promise<EnqueueResult> {
    const contact = parseContactRequest(request);
    const reply = await this.run(tenant, 'enqueue-contact', [
      contact.contactId,
      contact.queue,
      contact.channel,
      skillProfileOf(contact.channel, contact.requiredSkills),
      contact.priority,
      contact.businessValue,
      contact.preferredAgent ?? '',
      contact.enqueuedAt ?? this.clock.now(),
      contact.dueAt ?? '',
    ]);
    switch (reply[0]) {
      case 'ok': {
        const offers = offersFrom(reply[2]);
        return { duplicate: false, state: offers.length > 0 ? 'offered' : 'waiting', position: Number(reply[1]), offers };
      }
      case 'duplicate':
        return { duplicate: true, state: reply[1] as ContactState, position: Number(reply[2]), offers: [] };
      default:
        return this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`);
    }
  }

  /** The contact left (hung up, closed the chat) before an agent accepted it. */
  async cancel(tenant: string, contactId: string): Promise<{ duplicate: boolean; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'cancel-contact', [parseInput(identifier, contactId, 'contactId'), this.doneRetentionMs]);
    switch (reply[0]) {
      case 'ok':
        return { duplicate: false, offers: offersFrom(reply[2]) };
      case 'duplicate':
        return { duplicate: true, offers: [] };
      case 'contact-assigned':
        return this.fail('contact-assigned', `contact ${contactId} is assigned to agent ${String(reply[1])}: release it instead`);
      default:
        return this.fail('unknown-contact', `contact ${contactId} is not known`);
    }
  }

  /** Logs an agent in to its queues, not ready (reason `login`). */
  async login(tenant: string, input: AgentProfileInput): Promise<{ duplicate: boolean }> {
    const agent = parseAgentProfile(input);
    const reply = await this.run(tenant, 'login-agent', [
      agent.agentId,
      agent.site,
      agent.kind,
      agent.endpoint ?? '',
      encodeSkills(agent.skills),
      encodeCapacity(agent.capacity),
      ...agent.queues,
    ]);
    if (reply[0] === 'unknown-queue') this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`);
    return { duplicate: reply[0] === 'duplicate' };
  }

  /** Logs an agent out; contacts ringing at it go back to their place and are offered again. */
  async logout(tenant: string, agentId: string): Promise<{ duplicate: boolean; returned: readonly string[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'logout-agent', [parseInput(identifier, agentId, 'agentId')]);
    switch (reply[0]) {
      case 'ok':
        return { duplicate: false, returned: reply[1] as string[], offers: offersFrom(reply[2]) };
      case 'duplicate':
        return { duplicate: true, returned: [], offers: [] };
      case 'agent-busy':
        return this.fail('agent-busy', `agent ${agentId} still has a ${String(reply[1])} contact: release it first`);
      default:
        return this.fail('unknown-agent', `agent ${agentId} has never logged in`);
    }
  }

  async setReady(tenant: string, agentId: string): Promise<{ offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'set-agent-ready', [parseInput(identifier, agentId, 'agentId')]);
    this.failOnAgentReply(reply, agentId);
    return { offers: offersFrom(reply[2]) };
  }

  async setNotReady(tenant: string, agentId: string, reasonCode: string): Promise<void> {
    const reason = parseInput(identifier, reasonCode, 'reasonCode');
    const reply = await this.run(tenant, 'set-agent-not-ready', [parseInput(identifier, agentId, 'agentId'), reason]);
    this.failOnAgentReply(reply, agentId);
  }

  private failOnAgentReply(reply: Reply, agentId: string): void {
    if (reply[0] === 'unknown-agent') this.fail('unknown-agent', `agent ${agentId} has never logged in`);
    if (reply[0] === 'not-logged-in') this.fail('not-logged-in', `agent ${agentId} is logged out`);
  }

  /** The agent answered: the offer becomes an assignment. Accepting the same offer twice is a no-op. */
  async accept(tenant: string, offer: OfferRef): Promise<{ duplicate: boolean; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'accept-offer', this.offerArgs(offer));
    if (reply[0] === 'not-offered') this.notOffered(offer, reply[1]);
    return { duplicate: reply[0] === 'duplicate', offers: offersFrom(reply[2]) };
  }

  /** The agent declined: it goes not ready with `reasonCode`, the contact back to its place. */
  async reject(tenant: string, offer: OfferRef, reasonCode = 'rejected'): Promise<{ returnedToQueue: boolean; offers: readonly Offer[] }> {
    const reason = parseInput(identifier, reasonCode, 'reasonCode');
    const reply = await this.run(tenant, 'reject-offer', [...this.offerArgs(offer), reason]);
    if (reply[0] === 'not-offered') this.notOffered(offer, reply[1]);
    return { returnedToQueue: reply[1] === 1, offers: offersFrom(reply[2]) };
  }

  private offerArgs(offer: OfferRef): (string | number)[] {
    return [parseInput(identifier, offer.contactId, 'contactId'), parseInput(identifier, offer.agentId, 'agentId'), offer.attempt];
  }

  private notOffered(offer: OfferRef, state: unknown): never {
    return this.fail('not-offered', `contact ${offer.contactId} is not offered to agent ${offer.agentId} (attempt ${offer.attempt}); it is ${String(state)}`);
  }

  /** Ring-no-answer for offers past their deadline: agents not ready, contacts back at their place. */
  async expireOffers(
    tenant: string,
    limit = DEFAULT_SWEEP_LIMIT,
  ): Promise<{ rangOut: readonly { contactId: string; agentId: string }[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'expire-offers', [limit, 'ring-no-answer']);
    const pairs = reply[1] as string[];
    const rangOut = [];
    for (let i = 0; i < pairs.length; i += 2) rangOut.push({ contactId: pairs[i], agentId: pairs[i + 1] });
    return { rangOut, offers: offersFrom(reply[2]) };
  }

  /** The agent finished the contact; wrap-up starts when the queue has one. */
  async release(tenant: string, contactId: string, agentId: string): Promise<{ duplicate: boolean; wrapUpEndsAt: number | undefined; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'release-contact', [
      parseInput(identifier, contactId, 'contactId'),
      parseInput(identifier, agentId, 'agentId'),
      this.doneRetentionMs,
    ]);
    if (reply[0] === 'not-assigned') this.fail('not-assigned', `contact ${contactId} is not assigned to agent ${agentId}; it is ${String(reply[1])}`);
    const wrapUpEndsAt = reply[0] === 'ok' ? Number(reply[1]) : 0;
    return { duplicate: reply[0] === 'duplicate', wrapUpEndsAt: wrapUpEndsAt > 0 ? wrapUpEndsAt : undefined, offers: offersFrom(reply[2]) };
  }

  /** Agents whose wrap-up has ended take contacts again. */
  async endWrapUps(tenant: string, limit = DEFAULT_SWEEP_LIMIT): Promise<{ agents: readonly string[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'end-wrap-ups', [limit]);
    return { agents: reply[1] as string[], offers: offersFrom(reply[2]) };
  }

  /** Position (1 = next) and expected wait of a contact, for announcements and boards. */
  async position(tenant: string, contactId: string): Promise<ContactPosition> {
    const reply = await this.run(tenant, 'contact-position', [parseInput(identifier, contactId, 'contactId')]);
    if (reply[0] === 'unknown') this.fail('unknown-contact', `contact ${contactId} is not known`);
    const position = Number(reply[1]);
    const interval = reply[3] === '' ? undefined : Number(reply[3]);
    return { state: reply[0] as ContactState, position, waiting: Number(reply[2]), expectedWaitMs: expectedWaitMs(position, interval) };
  }

  /** What Redis holds about an agent; undefined for an agent that never logged in. */
  async agentSnapshot(tenant: string, agentId: string): Promise<AgentSnapshot | undefined> {
    const hash = await this.client.hgetall(`${this.baseKey(tenant)}:agent:${parseInput(identifier, agentId, 'agentId')}`);
    if (hash.presence === undefined) return undefined;
    return {
      presence: hash.presence as Presence,
      ...(hash.reason ? { reasonCode: hash.reason } : {}),
      busy: countsByChannel(hash, 'busy:'),
      offered: countsByChannel(hash, 'offered:'),
      wrappingUp: hash.wrapping === '1',
    };
  }

  async agentState(tenant: string, agentId: string): Promise<AgentState> {
    const snapshot = await this.agentSnapshot(tenant, agentId);
    return snapshot === undefined ? { kind: 'logged-out' } : agentStateOf(snapshot);
  }
}
