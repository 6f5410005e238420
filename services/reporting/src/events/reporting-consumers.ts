/** The durable consumers reporting keeps, one per domain stream: named once, for the handlers and the lag gauge. */
export const REPORTING_CONSUMERS = {
  call: 'reporting-call',
} as const;
