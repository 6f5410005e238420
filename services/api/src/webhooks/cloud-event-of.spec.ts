import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AcdEvents, AgentStateChangedSchema, CallAnsweredSchema, CallEvents, CallbackAttemptedSchema, ContactQueuedSchema } from '@lianluo/contracts';
import { cloudEventOf } from './cloud-event-of';
import { orderingKeyOf } from './ordering-key-of';
import { WEBHOOK_EVENT_TYPES, subscribedTypesOf } from './webhook-event-types';

const occurredAt = timestampFromDate(new Date('2026-03-01T08:00:00.250Z'));

describe('an event as webhooks send it', () => {
  it('is a CloudEvent whose id is the event id, type its <domain>.<name>, data its protobuf JSON', () => {
    const queued = create(ContactQueuedSchema, { eventId: 'e-1', tenant: 'acme', occurredAt, contact: { contactId: 'c-1', queue: 'support' }, position: 2 });
    const event = cloudEventOf(AcdEvents.contactQueued, queued, new Date());
    expect(event).toMatchObject({ tenant: 'acme', eventId: 'e-1', eventType: 'acd.contact_queued', subject: 'contacts/c-1', occurredAt: new Date('2026-03-01T08:00:00.250Z') });
    expect(JSON.parse(event.body)).toEqual({
      specversion: '1.0',
      id: 'e-1',
      source: '/tenants/acme/acd',
      type: 'acd.contact_queued',
      subject: 'contacts/c-1',
      time: '2026-03-01T08:00:00.250Z',
      datacontenttype: 'application/json',
      data: { eventId: 'e-1', tenant: 'acme', occurredAt: '2026-03-01T08:00:00.250Z', contact: { contactId: 'c-1', queue: 'support' }, position: 2 },
    });
  });

  it("puts a call's events under its contact, as acd names a voice contact by its call id", () => {
    const answered = create(CallAnsweredSchema, { eventId: 'e-2', call: { tenant: 'acme', site: 'bj', callId: 'call-9' }, occurredAt });
    expect(cloudEventOf(CallEvents.answered, answered, new Date()).subject).toBe('contacts/call-9');
  });

  it('orders a callback by its callback, an agent by itself, and anything else by nothing', () => {
    expect(orderingKeyOf(create(CallbackAttemptedSchema, { callback: { callbackId: 'cb-1' }, contactId: 'c-2', agent: { agentId: 'li' } }), 'e')).toBe('callbacks/cb-1');
    expect(orderingKeyOf(create(AgentStateChangedSchema, { agent: { agentId: 'li' } }), 'e')).toBe('agents/li');
    expect(orderingKeyOf({}, 'e-3')).toBe('events/e-3');
  });

  it('offers every event type of the catalogs and a wildcard per domain, and matches an event to both', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(expect.arrayContaining(['acd.contact_queued', 'acd.agent_state_changed', 'call.answered', 'ivr.menu_chosen', 'voicemail.message_left', 'acd.*', 'call.*']));
    expect(subscribedTypesOf('acd.contact_queued')).toEqual(['acd.contact_queued', 'acd.*']);
  });
});
