import { type Pool, type PoolClient } from 'pg';

/** The pool or one connection inside a transaction: a repository method takes whichever it is given. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;
