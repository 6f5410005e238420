/** Why a request's service token was refused. */
export type ServiceTokenRejection = 'missing' | 'expired' | 'invalid';

// The only words a refusal sends back: what was wrong, never which check or key failed.
const MESSAGES: Readonly<Record<ServiceTokenRejection, string>> = {
  missing: 'a bearer token from api is required',
  expired: 'the service token has expired',
  invalid: 'the service token is not valid for this service',
};

/**
 * A request's token was refused. `message` is safe to send to the caller; `detail` (jose's
 * code and reason) is for the service's log only.
 */
export class ServiceTokenRejected extends Error {
  constructor(
    readonly kind: ServiceTokenRejection,
    readonly detail?: string,
  ) {
    super(MESSAGES[kind]);
    this.name = 'ServiceTokenRejected';
  }
}
