/** The pool every PostgreSQL adapter of the service shares. */
export const DATABASE = Symbol('Database');
