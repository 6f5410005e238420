import { type WebhookDomain } from './webhook-event-types';

/** The durable consumers webhooks keep, one per domain stream, shared by every api replica. */
export const WEBHOOK_CONSUMERS: Readonly<Record<WebhookDomain, string>> = {
  call: 'api-webhooks-call',
  acd: 'api-webhooks-acd',
  ivr: 'api-webhooks-ivr',
  voicemail: 'api-webhooks-voicemail',
};
