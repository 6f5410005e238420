import { ALL_ACD_EVENTS, ALL_CALL_EVENTS, ALL_IVR_EVENTS, ALL_VOICEMAIL_EVENTS, type EventDefinition } from '@lianluo/contracts';

/** The domains whose events a tenant may subscribe to, each with its contract catalog. */
export const WEBHOOK_DOMAINS = {
  call: ALL_CALL_EVENTS as readonly EventDefinition[],
  acd: ALL_ACD_EVENTS as readonly EventDefinition[],
  ivr: ALL_IVR_EVENTS as readonly EventDefinition[],
  voicemail: ALL_VOICEMAIL_EVENTS as readonly EventDefinition[],
} as const;

export type WebhookDomain = keyof typeof WEBHOOK_DOMAINS;

/** An event's type as subscriptions name it and CloudEvents carry it: `<domain>.<name>`, e.g. `acd.contact_queued`. */
export function eventTypeOf(definition: Pick<EventDefinition, 'domain' | 'name'>): string {
  return `${definition.domain}.${definition.name}`;
}

/** Every type a subscription may name: each event of the catalogs, and `<domain>.*` for all of a domain's. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.entries(WEBHOOK_DOMAINS).flatMap(([domain, definitions]) => [
  ...definitions.map(eventTypeOf),
  `${domain}.*`,
]);

/** The subscription entries that take an event of `eventType`: itself and its domain's wildcard. */
export function subscribedTypesOf(eventType: string): [string, string] {
  return [eventType, `${eventType.slice(0, eventType.indexOf('.'))}.*`];
}
