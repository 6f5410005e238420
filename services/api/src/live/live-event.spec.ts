import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Channel, ContactOfferedSchema, ContactQueuedSchema } from '@lianluo/contracts';
import { type JsMsg } from 'nats';
import { liveEventOf } from './live-event';

const storedAt = Date.UTC(2026, 11, 8, 9, 30);
const stored = (subject: string, data: Uint8Array, seq = 42) => ({ subject, data, seq, info: { timestampNanos: storedAt * 1e6 } }) as unknown as JsMsg;
const offer = (tenant: string) =>
  toBinary(
    ContactOfferedSchema,
    create(ContactOfferedSchema, { eventId: 'e-1', tenant, occurredAt: timestampFromMs(storedAt), contact: { contactId: 'c-1', queue: 'support', channel: Channel.EMAIL }, agent: { agentId: 'li' }, attempt: 1 }),
  );

describe('the live form of a stream event', () => {
  it('carries the cursor, the type, the message as protobuf JSON and when it was stored, and names the agent it is about', () => {
    const event = liveEventOf('acd', stored('lianluo.acme.acd.event.contact_offered', offer('acme')));
    if (typeof event === 'string') throw new Error(event);
    expect(event).toMatchObject({ domain: 'acd', seq: 42, tenant: 'acme', agentId: 'li' });
    expect(JSON.parse(event.frame.toString())).toEqual({
      cursor: 'acd:42',
      type: 'acd.contact_offered',
      data: expect.objectContaining({ eventId: 'e-1', tenant: 'acme', contact: { contactId: 'c-1', queue: 'support', channel: 'CHANNEL_EMAIL' }, agent: { agentId: 'li' }, attempt: 1 }),
      time: '2026-12-08T09:30:00.000Z',
    });
  });

  it('names no agent for an event about none', () => {
    const queued = toBinary(ContactQueuedSchema, create(ContactQueuedSchema, { eventId: 'e-2', tenant: 'acme', contact: { contactId: 'c-2', queue: 'support' } }));
    const event = liveEventOf('acd', stored('lianluo.acme.acd.event.contact_queued', queued));
    expect(typeof event !== 'string' && event.agentId).toBeUndefined();
  });

  it('pushes nothing it cannot read: an unknown name, bytes that do not decode, a tenant other than its subject', () => {
    expect(liveEventOf('acd', stored('lianluo.acme.acd.event.contact_teleported', offer('acme')))).toBe('unknown');
    expect(liveEventOf('acd', stored('lianluo.acme.acd.event.contact_offered', new Uint8Array([0xff, 0xff, 0xff])))).toBe('undecodable');
    expect(liveEventOf('acd', stored('lianluo.acme.acd.event.contact_offered', offer('globex')))).toBe('foreign_tenant');
  });
});
