import { timestampMs } from '@bufbuild/protobuf/wkt';
import { type ContactRequest as ContactRequestMessage, nameOfChannel } from '@lianluo/contracts';
import type { ContactRequest } from './contact';
import { enqueueTimeOf } from './waiting-since';

/**
 * The domain's enqueue request for a contract's at `nowMs` (the routing clock); empty
 * strings are absent fields. The contact takes its place from `waiting_since` (now when
 * absent); throws InvalidInput for one in the future or too long ago.
 */
export function contactRequestOf(contact: ContactRequestMessage, nowMs: number): ContactRequest {
  const call = contact.call;
  return {
    contactId: contact.contactId,
    queue: contact.queue,
    channel: nameOfChannel(contact.channel) as ContactRequest['channel'],
    requiredSkills: contact.requiredSkills,
    priority: contact.priority,
    businessValue: contact.businessValue,
    ...(contact.preferredAgent ? { preferredAgent: contact.preferredAgent } : {}),
    ...(contact.dueAt ? { dueAt: timestampMs(contact.dueAt) } : {}),
    ...(contact.site || call?.site ? { site: contact.site || call?.site } : {}),
    ...(contact.customerId ? { customerId: contact.customerId } : {}),
    ...(call ? { call: { site: call.site, callId: call.callId } } : {}),
    data: contact.data,
    enqueuedAt: enqueueTimeOf(contact.waitingSince ? timestampMs(contact.waitingSince) : undefined, nowMs),
  };
}
