import { timestampMs } from '@bufbuild/protobuf/wkt';
import { type ContactRequest as ContactRequestMessage, nameOfChannel } from '@lianluo/contracts';
import type { ContactRequest } from './contact';

/** The domain's enqueue request for a contract's; empty strings are absent fields. */
export function contactRequestOf(contact: ContactRequestMessage): ContactRequest {
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
  };
}
