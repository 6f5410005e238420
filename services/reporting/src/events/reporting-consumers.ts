/** The durable consumers reporting keeps, one per domain stream: named once, for the handlers and the lag gauge. */
export const REPORTING_CONSUMERS = {
  call: 'reporting-call',
  acd: 'reporting-acd',
  ivr: 'reporting-ivr',
  voicemail: 'reporting-voicemail',
} as const;

/** A domain whose stream reporting consumes. */
export type ReportedDomain = keyof typeof REPORTING_CONSUMERS;
