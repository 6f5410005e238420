import { register } from 'prom-client';

/**
 * The metric registered under `name` in the default registry, or the one `make` creates
 * and registers: several Nest apps in one process (tests, `npm start` helpers) share the
 * registry, and prom-client refuses a second metric of the same name.
 */
export function registeredMetric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}
