import type { RedisClient } from '@lianluo/redis';
import { z } from 'zod';
import { currentTraceparent } from '@lianluo/observability';
import { tenantKey } from '@lianluo/redis';
import { decodeAgentPhone, encodeAgentPhone } from '../agents/agent-phone';
import { type AgentProfile, parseAgentProfile, type AgentProfileInput } from '../agents/agent-profile';
import { type AgentSnapshot, type AgentState, agentStateOf, type Presence } from '../agents/agent-state';
import type { Channel } from '../contacts/channel';
import { type ContactRequest, type ContactState, parseContactRequest } from '../contacts/contact';
import { encodeRoutingSteps, parseQueueDefinition, type QueueDefinitionInput } from '../queues/queue-definition';
import { strategyWeights } from '../strategies/routing-strategy';
import { callIdToken, identifier, site as siteToken, skillName } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';
import { expectedWaitMs } from './expected-wait';
import { type RoutingClock, systemRoutingClock } from './routing-clock';
import { RoutingError, type RoutingErrorKind } from './routing-error';
import { type RoutingScriptName, RoutingScripts } from './routing-scripts';
import { decodeSkills, encodeSkills, skillProfileOf } from './skill-profile';

/** A contact offered (ringing) to an agent. `attempt` tells this offer from later ones of the same contact. */
export interface Offer {
  readonly contactId: string;
  readonly agentId: string;
  readonly attempt: number;
  readonly deadlineMs: number;
}

export type CancelReason = 'abandoned' | 'withdrawn';

/** How a release leaves the agent (see RoutingStore.release). */
export interface ReleaseOptions {
  readonly skipWrapUp?: boolean;
  readonly notReadyReason?: string;
  /** The agent's wrap-up code and notes, carried on contact_completed (checked by the caller). */
  readonly wrapUpCode?: string;
  readonly notes?: string;
}

/** Which offer an accept or reject answers. */
export type OfferRef = Pick<Offer, 'contactId' | 'agentId' | 'attempt'>;

export interface EnqueueResult {
  /** True when the contact id was already known: nothing changed. */
  readonly duplicate: boolean;
  readonly state: ContactState;
  /** 1 = next; 0 once offered or assigned. */
  readonly position: number;
  /** Undefined until the queue has a pace, and once the contact is offered. */
  readonly expectedWaitMs?: number;
  readonly offers: readonly Offer[];
  /** A skill profile's first appearance left an enrolment to finish (continueEnrolments). */
  readonly enrolling?: boolean;
}

/** Where a transfer sends a contact: a queue, or one agent (for `windowMs`) of its queue. */
export interface TransferRequest {
  readonly contactId: string;
  /** Its own queue when absent. */
  readonly queue?: string;
  readonly toAgent?: string;
  /** How long the contact waits for `toAgent` alone; 30 s by default. */
  readonly windowMs?: number;
  /** The agent handing it on; it must be the one the contact is assigned to. */
  readonly byAgent?: string;
  readonly bySupervisor?: string;
}

function expectedWaitOf(position: number, pace: unknown): { expectedWaitMs?: number } {
  const expected = expectedWaitMs(position, pace === '' || pace === undefined ? undefined : Number(pace));
  return expected === undefined ? {} : { expectedWaitMs: expected };
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
const DEFAULT_ANNOUNCED_HEADS = 100;
const DEFAULT_TRANSFER_WINDOW_MS = 30_000;
const transferWindowMs = z.number().int('must be whole milliseconds').min(1_000, 'must be at least 1000').max(3_600_000, 'must be at most 3600000');

type Reply = [string, ...unknown[]];

/**
 * The offers a script made, as it returns them: contact, agent, attempt and deadline of
 * each, one after the other in one array (routing-core.lua `flat_offers`). Redis converts
 * every table of a reply at length, so not one table per offer.
 */
function offersFrom(raw: unknown): Offer[] {
  const flat = raw as string[];
  const offers: Offer[] = [];
  for (let i = 0; i + 3 < flat.length; i += 4) {
    offers.push({ contactId: flat[i]!, agentId: flat[i + 1]!, attempt: Number(flat[i + 2]), deadlineMs: Number(flat[i + 3]) });
  }
  return offers;
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

  /** The tenant's outbox: the events of every change, for RoutingEventsRelay. */
  outboxKey(tenant: string): string {
    return `${this.baseKey(tenant)}:outbox`;
  }

  private async run(tenant: string, script: RoutingScriptName, args: (string | number)[]): Promise<Reply> {
    return (await this.scripts.run(script, this.baseKey(tenant), [this.clock.now(), this.seed(), ...args])) as Reply;
  }

  private fail(kind: RoutingErrorKind, message: string, field?: string): never {
    throw new RoutingError(kind, message, field);
  }

  /** Tenants that ever defined a queue: the ones the timers sweep. Outside any tenant's hash tag. */
  async tenants(): Promise<string[]> {
    return this.client.smembers(this.tenantsKey());
  }

  private tenantsKey(): string {
    return `${this.options.keyPrefix}:tenants`;
  }

  async defineQueue(tenant: string, input: QueueDefinitionInput): Promise<'created' | 'changed'> {
    const queue = parseQueueDefinition(input);
    await this.client.sadd(this.tenantsKey(), parseInput(identifier, tenant, 'tenant'));
    const weights = strategyWeights(queue.strategy, queue.weights);
    const [, outcome] = await this.run(tenant, 'define-queue', [
      queue.queue,
      ...['strategy', queue.strategy, 'wIdle', weights.idle, 'wHandled', weights.handled, 'wRoundRobin', weights.roundRobin],
      ...['wRandom', weights.random, 'wSkill', weights.skill, 'offerTimeoutMs', queue.offerTimeoutMs, 'wrapUpMs', queue.wrapUpMs],
      ...['priorityPointMs', queue.priorityPointMs, 'businessValuePointMs', queue.businessValuePointMs],
      ...['dueWindowMs', queue.dueWindowMs, 'ringAllLimit', queue.ringAllLimit, 'steps', encodeRoutingSteps(queue.steps)],
      ...['overflowAfterMs', queue.overflow?.afterMs ?? 0, 'overflowKind', queue.overflow ? (queue.overflow.queue ? 'queue' : 'voicemail') : ''],
      ...['overflowTarget', queue.overflow?.queue ?? queue.overflow?.voicemailMailbox ?? ''],
    ]);
    return outcome as 'created' | 'changed';
  }

  /**
   * Queues a contact and offers it at once if an agent is ready. A repeated contact id
   * changes nothing. The contact keeps `traceparent` (the active span's by default), and
   * every event about it is published in that trace, whatever later causes it.
   */
  async enqueue(tenant: string, request: ContactRequest, traceparent = currentTraceparent()): Promise<EnqueueResult> {
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
      contact.site ?? '',
      contact.customerId ?? '',
      contact.call?.site ?? '',
      contact.call?.callId ?? '',
      contact.data === undefined || Object.keys(contact.data).length === 0 ? '' : JSON.stringify(contact.data),
      traceparent ?? '',
    ]);
    switch (reply[0]) {
      case 'ok': {
        const offers = offersFrom(reply[2]);
        const position = Number(reply[1]);
        const enrolling = Number(reply[4]) > 0 ? { enrolling: true } : {};
        return { duplicate: false, state: offers.length > 0 ? 'offered' : 'waiting', position, ...expectedWaitOf(position, reply[3]), offers, ...enrolling };
      }
      case 'duplicate': {
        const position = Number(reply[2]);
        return { duplicate: true, state: reply[1] as ContactState, position, ...expectedWaitOf(position, reply[4]), offers: [] };
      }
      case 'unknown-skill':
        return this.fail('unknown-skill', `skill ${String(reply[1])} is not in the tenant's catalogue`, `requiredSkills.${String(reply[1])}`);
      default:
        return this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`, 'queue');
    }
  }

  /**
   * The contact left before an agent accepted it: `abandoned` when the customer gave up
   * (hung up, closed the chat), `withdrawn` when its owner took it back.
   */
  async cancel(
    tenant: string,
    contactId: string,
    reason: CancelReason = 'abandoned',
  ): Promise<{ duplicate: boolean; previousState: ContactState; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'cancel-contact', [parseInput(identifier, contactId, 'contactId'), this.doneRetentionMs, reason]);
    switch (reply[0]) {
      case 'ok':
        return { duplicate: false, previousState: reply[1] as ContactState, offers: offersFrom(reply[2]) };
      case 'duplicate':
        return { duplicate: true, previousState: 'done', offers: [] };
      case 'contact-assigned':
        return this.fail('contact-assigned', `contact ${contactId} is assigned to agent ${String(reply[1])}: release it instead`);
      default:
        return this.fail('unknown-contact', `contact ${contactId} is not known`, 'contactId');
    }
  }

  /** Logs an agent in to its queues, not ready (reason `login`). */
  async login(tenant: string, input: AgentProfileInput): Promise<{ duplicate: boolean }> {
    const agent = parseAgentProfile(input);
    const reply = await this.run(tenant, 'login-agent', [agent.agentId, ...this.profileArgs(agent)]);
    if (reply[0] === 'unknown-queue') this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`, 'queues');
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
        return this.fail('unknown-agent', `agent ${agentId} has never logged in`, 'agentId');
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
    if (reply[0] === 'unknown-agent') this.fail('unknown-agent', `agent ${agentId} has never logged in`, 'agentId');
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

  /**
   * The agent finished the contact; wrap-up starts when the queue has one. A contact that
   * gave the agent nothing to wrap up (a callback whose customer did not answer) frees it
   * at once with `skipWrapUp`; `notReadyReason` pauses it instead, in the same step.
   */
  async release(
    tenant: string,
    contactId: string,
    agentId: string,
    options: ReleaseOptions = {},
  ): Promise<{ duplicate: boolean; wrapUpEndsAt: number | undefined; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'release-contact', [
      parseInput(identifier, contactId, 'contactId'),
      parseInput(identifier, agentId, 'agentId'),
      this.doneRetentionMs,
      options.skipWrapUp ? 'skip-wrap-up' : '',
      options.notReadyReason === undefined ? '' : parseInput(identifier, options.notReadyReason, 'reasonCode'),
      options.wrapUpCode ? parseInput(identifier, options.wrapUpCode, 'wrapUpCode') : '',
      options.notes ?? '',
    ]);
    if (reply[0] === 'not-assigned') this.fail('not-assigned', `contact ${contactId} is not assigned to agent ${agentId}; it is ${String(reply[1])}`);
    if (reply[0] === 'duplicate') return { duplicate: true, wrapUpEndsAt: undefined, offers: [] };
    const wrapUpEndsAt = Number(reply[1]);
    return { duplicate: false, wrapUpEndsAt: wrapUpEndsAt > 0 ? wrapUpEndsAt : undefined, offers: offersFrom(reply[2]) };
  }

  /** Agents whose wrap-up has ended take contacts again. */
  async endWrapUps(tenant: string, limit = DEFAULT_SWEEP_LIMIT): Promise<{ agents: readonly string[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'end-wrap-ups', [limit]);
    return { agents: reply[1] as string[], offers: offersFrom(reply[2]) };
  }

  /**
   * Stores an agent's configuration (what login applies); a logged-in agent takes the
   * change at once. Its queues must be defined and, once the tenant has a skill
   * catalogue, its skills catalogued.
   */
  async configureAgent(tenant: string, input: AgentProfileInput): Promise<{ created: boolean; offers: readonly Offer[] }> {
    const agent = parseAgentProfile(input);
    const reply = await this.run(tenant, 'configure-agent', [
      agent.agentId,
      ...this.profileArgs(agent),
    ]);
    if (reply[0] === 'unknown-queue') this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`, 'queues');
    if (reply[0] === 'unknown-skill') this.fail('unknown-skill', `skill ${String(reply[1])} is not in the tenant's catalogue`, `skills.${String(reply[1])}`);
    return { created: reply[1] === 'created', offers: offersFrom(reply[2]) };
  }

  private profileArgs(agent: AgentProfile): (string | number)[] {
    return [agent.site, agent.kind, encodeAgentPhone(agent.phone), encodeSkills(agent.skills), encodeCapacity(agent.capacity), ...agent.queues];
  }

  /** The stored configuration of an agent; undefined when it has none. */
  async agentConfig(tenant: string, agentId: string): Promise<AgentProfile | undefined> {
    const hash = await this.client.hgetall(`${this.baseKey(tenant)}:agent:${parseInput(identifier, agentId, 'agentId')}:config`);
    if (hash.site === undefined) return undefined;
    const phone = decodeAgentPhone(hash.endpoint ?? '');
    return {
      agentId,
      site: hash.site,
      kind: hash.kind as AgentProfile['kind'],
      ...(phone ? { phone } : {}),
      skills: decodeSkills(hash.skills ?? ''),
      capacity: decodeSkills(hash.capacity ?? ''),
      queues: (hash.queues ?? '').split(',').filter(Boolean),
    };
  }

  /** Forgets a logged-out agent and its configuration. */
  async deleteAgent(tenant: string, agentId: string): Promise<void> {
    const reply = await this.run(tenant, 'delete-agent', [parseInput(identifier, agentId, 'agentId')]);
    if (reply[0] === 'agent-logged-in') this.fail('agent-logged-in', `agent ${agentId} is logged in: log it out first`, 'agentId');
    if (reply[0] === 'unknown-agent') this.fail('unknown-agent', `agent ${agentId} is not configured`, 'agentId');
  }

  /** Removes a queue no agent is logged in to and nobody waits in. */
  async deleteQueue(tenant: string, queue: string): Promise<void> {
    const reply = await this.run(tenant, 'delete-queue', [parseInput(identifier, queue, 'queue')]);
    if (reply[0] === 'unknown-queue') this.fail('unknown-queue', `queue ${queue} is not defined`, 'queue');
    if (reply[0] === 'queue-in-use') this.fail('in-use', `queue ${queue} still has ${String(reply[2])} ${String(reply[1])}`, 'queue');
  }

  /** Adds a skill to the tenant's catalogue (or changes its description); true when it is new. */
  async defineSkill(tenant: string, name: string, description = ''): Promise<boolean> {
    return (await this.client.hset(`${this.baseKey(tenant)}:skills`, parseInput(skillName, name, 'name'), description)) === 1;
  }

  async deleteSkill(tenant: string, name: string): Promise<void> {
    if ((await this.client.hdel(`${this.baseKey(tenant)}:skills`, parseInput(skillName, name, 'name'))) === 0) {
      this.fail('unknown-skill', `skill ${name} is not in the tenant's catalogue`, 'name');
    }
  }

  /** Contacts whose routing step timed out move to the next step; returns them and the offers made. */
  async escalateSteps(tenant: string, limit = DEFAULT_SWEEP_LIMIT): Promise<{ contacts: readonly string[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'escalate-contacts', [limit]);
    return { contacts: reply[1] as string[], offers: offersFrom(reply[2]) };
  }

  /** Contacts past their queue's wait limit with no agent able to take them go to its overflow target. */
  async overflowContacts(tenant: string, limit = DEFAULT_SWEEP_LIMIT): Promise<{ contacts: readonly string[]; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'overflow-contacts', [limit, this.doneRetentionMs]);
    return { contacts: reply[1] as string[], offers: offersFrom(reply[2]) };
  }

  /** Moves a contact to a queue, or to one agent of its queue for a while (see transfer-contact.lua). */
  async transfer(tenant: string, request: TransferRequest): Promise<{ state: ContactState; position: number; offers: readonly Offer[] }> {
    const optional = (value: string | undefined, field: string) => (value === undefined || value === '' ? '' : parseInput(identifier, value, field));
    const windowMs = parseInput(transferWindowMs, request.windowMs ?? DEFAULT_TRANSFER_WINDOW_MS, 'windowMs');
    const reply = await this.run(tenant, 'transfer-contact', [
      parseInput(identifier, request.contactId, 'contactId'),
      optional(request.queue, 'queue'),
      optional(request.toAgent, 'toAgent'),
      windowMs,
      optional(request.byAgent, 'byAgent'),
      optional(request.bySupervisor, 'bySupervisor'),
    ]);
    switch (reply[0]) {
      case 'ok':
        return { state: reply[1] as ContactState, position: Number(reply[2]), offers: offersFrom(reply[3]) };
      case 'unknown-contact':
        return this.fail('unknown-contact', `contact ${request.contactId} is not known`, 'contactId');
      case 'contact-done':
        return this.fail('contact-done', `contact ${request.contactId} is over`, 'contactId');
      case 'unknown-queue':
        return this.fail('unknown-queue', `queue ${String(reply[1])} is not defined`, 'queue');
      case 'unknown-agent':
        return this.fail('unknown-agent', `agent ${String(reply[1])} is not known`, 'toAgent');
      default:
        return this.fail('not-assigned', `contact ${request.contactId} is assigned to ${String(reply[1])}, not to ${request.byAgent}`, 'byAgent');
    }
  }

  /** A supervisor has a waiting or ringing contact ring at an agent who can take it now. */
  async reassign(tenant: string, contactId: string, agentId: string, supervisorId: string): Promise<{ duplicate: boolean; offers: readonly Offer[] }> {
    const reply = await this.run(tenant, 'reassign-contact', [
      parseInput(identifier, contactId, 'contactId'),
      parseInput(identifier, agentId, 'agentId'),
      parseInput(identifier, supervisorId, 'supervisorId'),
    ]);
    switch (reply[0]) {
      case 'ok':
      case 'duplicate':
        return { duplicate: reply[0] === 'duplicate', offers: offersFrom(reply[1]) };
      case 'unknown-contact':
        return this.fail('unknown-contact', `contact ${contactId} is not known`, 'contactId');
      case 'unknown-agent':
        return this.fail('unknown-agent', `agent ${agentId} has never logged in`, 'agentId');
      case 'contact-done':
        return this.fail('contact-done', `contact ${contactId} is over`, 'contactId');
      case 'contact-assigned':
        return this.fail('contact-assigned', `contact ${contactId} is assigned to agent ${String(reply[1])}: transfer it instead`, 'contactId');
      default:
        return this.fail('agent-cannot-take', `agent ${agentId} cannot take another contact of this channel now`, 'agentId');
    }
  }

  /** Reports, as events, the new place of waiting contacts among the first `heads` of each queue. */
  async announcePositions(tenant: string, heads = DEFAULT_ANNOUNCED_HEADS): Promise<number> {
    return Number((await this.run(tenant, 'announce-positions', [heads]))[1]);
  }

  /** Enrols the next chunk of members in profiles still being enrolled; returns how many still are. */
  async continueEnrolments(tenant: string, profiles = DEFAULT_SWEEP_LIMIT): Promise<number> {
    return Number((await this.run(tenant, 'continue-enrolments', [profiles]))[1]);
  }

  /**
   * The caller of a voice contact hung up: abandoned while it waited or rang, released
   * (wrap-up starts) once an agent had it. Undefined for a call the acd never queued.
   */
  async hangUp(tenant: string, site: string, callId: string): Promise<{ contactId: string; outcome: 'abandoned' | 'completed' | 'duplicate' } | undefined> {
    const reply = await this.run(tenant, 'hang-up-contact', [parseInput(siteToken, site, 'site'), parseInput(callIdToken, callId, 'callId'), this.doneRetentionMs]);
    if (reply[0] === 'unknown-call') return undefined;
    return { contactId: String(reply[1]), outcome: reply[0] === 'duplicate' ? 'duplicate' : (reply[2] as 'abandoned' | 'completed') };
  }

  /** Runs continueEnrolments until no profile of the tenant is being enrolled any more. */
  async finishEnrolments(tenant: string): Promise<void> {
    while ((await this.continueEnrolments(tenant)) > 0);
  }

  /** Position (1 = next) and expected wait of a contact, for announcements and boards. */
  async position(tenant: string, contactId: string): Promise<ContactPosition> {
    const reply = await this.run(tenant, 'contact-position', [parseInput(identifier, contactId, 'contactId')]);
    if (reply[0] === 'unknown') this.fail('unknown-contact', `contact ${contactId} is not known`, 'contactId');
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
