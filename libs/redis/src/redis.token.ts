/** Injection token of the `RedisClient` provided by `RedisModule`. */
export const REDIS = Symbol('lianluo:redis');
