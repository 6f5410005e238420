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
  'unknown-skill',
  'agent-logged-in',
  'in-use',
  'contact-done',
  'agent-cannot-take',
  'unknown-callback',
  'callback-dialling',
  'callback-over',
  'version-mismatch',
  'unknown-code',
] as const;

export type RoutingErrorKind = (typeof ROUTING_ERROR_KINDS)[number];

/** A routing command refused by the acd's state (live in Redis, callbacks in PostgreSQL), not by malformed input: that is InvalidInput. */
export class RoutingError extends Error {
  constructor(
    readonly kind: RoutingErrorKind,
    message: string,
    /** The input field naming what was refused (`queue`, `agentId`...), when one does. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}
