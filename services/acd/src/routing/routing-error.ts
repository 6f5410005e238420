/** Why a routing command was refused; each kind is one branch for the caller. */
export const ROUTING_ERROR_KINDS = [
  'unknown-queue',
  'unknown-agent',
  'unknown-contact',
  'not-logged-in',
  'agent-busy',
  'contact-assigned',
  'not-offered',
  'not-assigned',
] as const;

export type RoutingErrorKind = (typeof ROUTING_ERROR_KINDS)[number];

/** A routing command refused by the state in Redis (not by malformed input: that is InvalidInput). */
export class RoutingError extends Error {
  constructor(
    readonly kind: RoutingErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}
