/** Greetings configured for a call's tenant: the queue's own and the tenant's. */
export interface ConfiguredGreetings {
  readonly queue: readonly string[] | undefined;
  readonly tenant: readonly string[] | undefined;
}

/**
 * The greeting a caller hears: the one the IVR flow or acd named in take_call, else the
 * queue's, else the tenant's, else the service default.
 */
export function chooseGreeting(requested: readonly string[], configured: ConfiguredGreetings, fallback: readonly string[]): readonly string[] {
  if (requested.length > 0) return requested;
  return configured.queue ?? configured.tenant ?? fallback;
}
