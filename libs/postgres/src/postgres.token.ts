/** Injection token of the service's PostgreSQL pool (`@Inject(POSTGRES) pool: Pool`). */
export const POSTGRES = Symbol('Postgres');
