/** The fields of our events that say what an event is about. */
interface AboutFields {
  readonly callback?: { readonly callbackId: string } | undefined;
  readonly contact?: { readonly contactId: string } | undefined;
  readonly contactId?: string;
  readonly call?: { readonly callId: string } | undefined;
  readonly agent?: { readonly agentId: string } | undefined;
}

/**
 * What an event is about, as a CloudEvents `subject`: `callbacks/<id>`, `contacts/<id>` (a
 * call is its contact: acd names a voice contact by its call id) or `agents/<id>`. A
 * subscription receives the events of one subject one at a time, in order. An event about
 * none of these is its own subject (`events/<id>`) and waits for nothing.
 */
export function orderingKeyOf(message: object, eventId: string): string {
  const about = message as AboutFields;
  if (about.callback?.callbackId) return `callbacks/${about.callback.callbackId}`;
  const contactId = about.contact?.contactId || about.contactId || about.call?.callId;
  if (contactId) return `contacts/${contactId}`;
  if (about.agent?.agentId) return `agents/${about.agent.agentId}`;
  return `events/${eventId}`;
}
