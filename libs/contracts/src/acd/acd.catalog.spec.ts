import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AgentKind, CallbackOrigin, CallbackOutcome, CancelReason, Channel } from '../gen/lianluo/acd/v1/acd_pb';
import { RoutingStepKind, Strategy } from '../gen/lianluo/acd/v1/configuration_pb';
import { ALL_ACD_EVENTS, AcdCommands, AcdEvents, channelOfName, nameOfChannel } from './acd.catalog';

const tenant = 'acme';
const fieldsOf = (violations: { field: string }[]) => violations.map((v) => v.field);

describe('acd contract rules', () => {
  it('accepts a well-formed enqueue of a call and names every bad field of a broken one', () => {
    const good = create(AcdCommands.enqueueContact.request, {
      commandId: 'e1',
      tenant,
      contact: {
        contactId: 'bj-1.1',
        queue: 'sales',
        channel: Channel.VOICE,
        requiredSkills: { billing: 3 },
        priority: 10,
        site: 'bj',
        call: { tenant, site: 'bj', callId: 'bj-1.1' },
        data: { account: '42' },
      },
    });
    expect(AcdCommands.enqueueContact.validate(good)).toEqual([]);

    const bad = create(AcdCommands.enqueueContact.request, {
      commandId: 'e1',
      tenant: 'ac.me',
      contact: { contactId: 'a:b', queue: '', requiredSkills: { billing: 7, 'Bad Skill': 1 }, priority: 101, businessValue: -1 },
    });
    expect(fieldsOf(AcdCommands.enqueueContact.validate(bad))).toEqual([
      'tenant',
      'contact.queue',
      'contact.contact_id',
      'contact.channel',
      'contact.required_skills.billing',
      'contact.required_skills.Bad Skill',
      'contact.priority',
      'contact.business_value',
    ]);
    expect(AcdCommands.enqueueContact.validate(create(AcdCommands.enqueueContact.request, { commandId: 'e', tenant }))).toEqual([{ field: 'contact', reason: 'is required' }]);
  });

  it("requires a voice contact's site to be its call's site", () => {
    const enqueue = create(AcdCommands.enqueueContact.request, {
      commandId: 'e',
      tenant,
      contact: { contactId: 'c', queue: 'q', channel: Channel.VOICE, site: 'sz', call: { tenant, site: 'bj', callId: 'c' } },
    });
    expect(AcdCommands.enqueueContact.validate(enqueue)).toEqual([{ field: 'contact.site', reason: 'must be the call\'s site "bj" (got "sz")' }]);
  });

  it('needs the attempt of the offer an accept or reject answers, and a reason to reject', () => {
    expect(fieldsOf(AcdCommands.acceptOffer.validate(create(AcdCommands.acceptOffer.request, { commandId: 'a', tenant, contactId: 'c', agentId: 'x' })))).toEqual(['attempt']);
    expect(fieldsOf(AcdCommands.rejectOffer.validate(create(AcdCommands.rejectOffer.request, { commandId: 'r', tenant, contactId: 'c', agentId: 'x', attempt: 1 })))).toEqual(['reason_code']);
    expect(fieldsOf(AcdCommands.cancelContact.validate(create(AcdCommands.cancelContact.request, { commandId: 'c', tenant, contactId: 'c' })))).toEqual(['reason']);
    expect(AcdCommands.cancelContact.validate(create(AcdCommands.cancelContact.request, { commandId: 'c', tenant, contactId: 'c', reason: CancelReason.ABANDONED }))).toEqual([]);
  });

  it("takes a release's wrap-up code as an identifier and its notes up to 2,000 characters", () => {
    const release = (init: { wrapUpCode?: string; notes?: string }) =>
      AcdCommands.releaseContact.validate(create(AcdCommands.releaseContact.request, { commandId: 'r', tenant, contactId: 'c', agentId: 'x', ...init }));
    expect(release({})).toEqual([]);
    expect(release({ wrapUpCode: 'sale', notes: 'n'.repeat(2000) })).toEqual([]);
    expect(fieldsOf(release({ wrapUpCode: 'no sale!', notes: 'n'.repeat(2001) }))).toEqual(['wrap_up_code', 'notes']);
    const wrapUp = {
      eventId: 'e',
      tenant,
      occurredAt: timestampNow(),
      contact: { contactId: 'c1', queue: 'sales', channel: Channel.CHAT },
      agent: { agentId: 'ann', site: 'bj' },
      wrapUpCode: 'sale',
      notes: 'renewed for a year',
    };
    const completed = create(AcdEvents.contactCompleted.schema, wrapUp);
    expect(AcdEvents.contactCompleted.validate(completed)).toEqual([]);
    expect(fieldsOf(AcdEvents.contactCompleted.validate({ ...completed, notes: 'n'.repeat(2001) }))).toEqual(['notes']);
    const recorded = create(AcdEvents.contactWrapUpRecorded.schema, wrapUp);
    expect(AcdEvents.contactWrapUpRecorded.validate(recorded)).toEqual([]);
    expect(fieldsOf(AcdEvents.contactWrapUpRecorded.validate({ ...recorded, agent: undefined, wrapUpCode: 'a b' }))).toEqual(['agent', 'wrap_up_code']);
  });

  it('wants a transfer or reassignment to name where the contact goes', () => {
    expect(fieldsOf(AcdCommands.transferContact.validate(create(AcdCommands.transferContact.request, { commandId: 't', tenant, contactId: 'c' })))).toEqual(['target']);
    const reassign = create(AcdCommands.reassignContact.request, { commandId: 'r', tenant, contactId: 'c', supervisorId: 's', target: { case: 'agentId', value: 'a b' } });
    expect(fieldsOf(AcdCommands.reassignContact.validate(reassign))).toEqual(['agent_id']);
  });

  it('checks routing steps and overflow of a queue, naming the step', () => {
    const queue = create(AcdCommands.upsertQueue.request, {
      commandId: 'q',
      tenant,
      queue: {
        queue: 'support',
        strategy: Strategy.WEIGHTED,
        steps: [
          { kind: RoutingStepKind.PREFERRED_AGENT },
          { kind: RoutingStepKind.NAMED_AGENTS, timeoutMs: 30_000 },
          { kind: RoutingStepKind.WHOLE_CENTRE, minLevel: 4 },
        ],
        overflow: { afterMs: 0, target: { case: 'queue', value: 'support' } },
      },
    });
    expect(fieldsOf(AcdCommands.upsertQueue.validate(queue))).toEqual([
      'queue.weights',
      'queue.steps[0].timeout_ms',
      'queue.steps[1].agents',
      'queue.steps[2].min_level',
      'queue.overflow.after_ms',
      'queue.overflow.queue',
    ]);
    const good = create(AcdCommands.upsertQueue.request, {
      commandId: 'q',
      tenant,
      queue: {
        queue: 'support',
        steps: [
          { kind: RoutingStepKind.PREFERRED_AGENT, timeoutMs: 10_000 },
          { kind: RoutingStepKind.NAMED_AGENTS, agents: ['ann'], timeoutMs: 20_000 },
          { kind: RoutingStepKind.SKILLED, minLevel: 4, timeoutMs: 20_000 },
          { kind: RoutingStepKind.WHOLE_CENTRE },
        ],
        overflow: { afterMs: 120_000, target: { case: 'voicemailMailbox', value: 'support' } },
      },
    });
    expect(AcdCommands.upsertQueue.validate(good)).toEqual([]);
  });

  it("checks an agent's kind, phone, skills, capacity and queues", () => {
    const agent = create(AcdCommands.upsertAgent.request, {
      commandId: 'a',
      tenant,
      agent: { agentId: 'ann', site: 'BJ', phone: { case: 'pstnNumber', value: '12ab' }, skills: { billing: 0 }, capacity: { pigeon: 1 }, queues: [] },
    });
    expect(fieldsOf(AcdCommands.upsertAgent.validate(agent))).toEqual([
      'agent.site',
      'agent.skills.billing',
      'agent.kind',
      'agent.pstn_number',
      'agent.capacity.pigeon',
      'agent.queues',
    ]);
    const good = create(AcdCommands.upsertAgent.request, {
      commandId: 'a',
      tenant,
      agent: { agentId: 'ann', site: 'sz', kind: AgentKind.AGENT, phone: { case: 'extension', value: '2001' }, skills: { billing: 5 }, capacity: { voice: 1, chat: 3 }, queues: ['sales'] },
    });
    expect(AcdCommands.upsertAgent.validate(good)).toEqual([]);
  });

  it('refuses events missing what consumers file them by', () => {
    const offered = create(AcdEvents.contactOffered.schema, {
      eventId: 'acme:1-0',
      tenant,
      occurredAt: timestampNow(),
      contact: { contactId: 'c1', queue: 'sales', channel: Channel.CHAT },
      agent: { agentId: 'ann', site: 'bj' },
      attempt: 1,
      deadline: timestampNow(),
    });
    expect(AcdEvents.contactOffered.validate(offered)).toEqual([]);
    expect(AcdEvents.contactOffered.idOf(offered)).toBe('acme:1-0');
    expect(AcdEvents.contactOffered.tenantOf(offered)).toBe('acme');
    expect(fieldsOf(AcdEvents.contactOffered.validate({ ...offered, agent: undefined, attempt: 0 }))).toEqual(['agent', 'attempt']);
    const overflowed = create(AcdEvents.contactOverflowed.schema, { eventId: 'e', tenant, occurredAt: timestampNow(), contact: { contactId: 'c1', queue: 'sales', channel: Channel.VOICE } });
    expect(fieldsOf(AcdEvents.contactOverflowed.validate(overflowed))).toEqual(['target']);
    expect(fieldsOf(AcdEvents.agentStateChanged.validate(create(AcdEvents.agentStateChanged.schema, { eventId: 'e', tenant })))).toEqual(['occurred_at', 'agent']);
  });

  it('accepts a callback request from the IVR and names every bad field of a broken one', () => {
    const good = create(AcdCommands.requestCallback.request, {
      commandId: 'r',
      tenant,
      callback: { callbackId: 'ivr-bj-1.1', queue: 'sales', number: '+8613800138000', site: 'bj', requiredSkills: { billing: 2 }, waitingSince: timestampNow(), origin: CallbackOrigin.IVR },
    });
    expect(AcdCommands.requestCallback.validate(good)).toEqual([]);

    const bad = create(AcdCommands.requestCallback.request, {
      commandId: 'r',
      tenant,
      callback: {
        callbackId: 'x'.repeat(121),
        queue: 'sales',
        number: '12ab',
        site: 'BJ',
        priority: 101,
        maxAttempts: 11,
        origin: 7 as CallbackOrigin,
        data: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])),
        waitingSince: timestampNow(),
        appointment: timestampNow(),
      },
    });
    expect(fieldsOf(AcdCommands.requestCallback.validate(bad))).toEqual([
      'callback.callback_id',
      'callback.number',
      'callback.site',
      'callback.data',
      'callback.priority',
      'callback.max_attempts',
      'callback.origin',
      'callback.waiting_since',
    ]);
    expect(fieldsOf(AcdCommands.requestCallback.validate(create(AcdCommands.requestCallback.request, { commandId: 'r', tenant })))).toEqual(['callback']);
    expect(fieldsOf(AcdCommands.cancelCallback.validate(create(AcdCommands.cancelCallback.request, { commandId: 'c', tenant, callbackId: 'a:b' })))).toEqual(['callback_id']);
  });

  it('wants callback events to name the callback, and an attempt its contact, agent and outcome', () => {
    const callback = { callbackId: 'web-1', queue: 'sales', number: '4008001234' };
    const attempted = create(AcdEvents.callbackAttempted.schema, {
      eventId: 'acme:callback:web-1:attempted:1',
      tenant,
      occurredAt: timestampNow(),
      callback,
      attempt: 1,
      contactId: 'web-1@1',
      agent: { agentId: 'ann', site: 'bj' },
      outcome: CallbackOutcome.NO_ANSWER,
      counted: true,
      countedAttempts: 1,
    });
    expect(AcdEvents.callbackAttempted.validate(attempted)).toEqual([]);
    expect(fieldsOf(AcdEvents.callbackAttempted.validate({ ...attempted, attempt: 0, outcome: CallbackOutcome.UNSPECIFIED, agent: undefined }))).toEqual([
      'agent',
      'attempt',
      'outcome',
    ]);
    expect(fieldsOf(AcdEvents.callbackRequested.validate(create(AcdEvents.callbackRequested.schema, { eventId: 'e', tenant, occurredAt: timestampNow() })))).toEqual(['callback']);
    expect(fieldsOf(AcdEvents.callbackFailed.validate(create(AcdEvents.callbackFailed.schema, { eventId: 'e', tenant, occurredAt: timestampNow(), callback })))).toEqual(['reason_code']);
    expect(ALL_ACD_EVENTS.map((definition) => definition.name)).toEqual(
      expect.arrayContaining(['callback_requested', 'callback_attempted', 'callback_completed', 'callback_failed', 'callback_cancelled']),
    );
  });

  it('maps channel names to the enum and back', () => {
    expect(channelOfName('chat')).toBe(Channel.CHAT);
    expect(nameOfChannel(Channel.WORKITEM)).toBe('workitem');
    expect(nameOfChannel(Channel.UNSPECIFIED)).toBeUndefined();
  });
});
