export interface MessagingOptions {
  /** NATS server URLs, comma separated or a list. */
  readonly servers: string | string[];
  /** Root token of every subject and prefix of every stream; `lianluo` unless testing. */
  readonly namespace: string;
  /** Connection name shown by the NATS server (service and site). */
  readonly connectionName: string;
  /** Queue group for command subscriptions: one member of the group answers each command. */
  readonly queueGroup: string;
  /**
   * The site this instance serves, for a service with one instance group per site (media
   * gateways): commands addressed to another site (SITE_HEADER) are dropped unread.
   */
  readonly site?: string | undefined;
  readonly user?: string | undefined;
  readonly pass?: string | undefined;
  readonly token?: string | undefined;
  /** Deliveries of one event before it is dead-lettered. */
  readonly maxDeliver?: number;
  /** How long a consumer may hold an event before it is redelivered. */
  readonly ackWaitMs?: number;
  /** How long events are kept in a domain stream. */
  readonly streamMaxAgeMs?: number;
  /** Window in which a repeated Nats-Msg-Id is dropped by the server. */
  readonly duplicateWindowMs?: number;
}

export type ResolvedMessagingOptions = MessagingOptions & Required<Pick<MessagingOptions, 'maxDeliver' | 'ackWaitMs' | 'streamMaxAgeMs' | 'duplicateWindowMs'>>;

export const MESSAGING_DEFAULTS = {
  maxDeliver: 5,
  ackWaitMs: 30_000,
  streamMaxAgeMs: 7 * 24 * 3600_000,
  duplicateWindowMs: 2 * 60_000,
} as const;
