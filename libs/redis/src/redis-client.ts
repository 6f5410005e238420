import type { Cluster, Redis } from 'ioredis';

/** A connection to Redis in any mode; both speak the same commands. */
export type RedisClient = Redis | Cluster;
