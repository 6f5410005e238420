import { Inject } from '@nestjs/common';
import { REDIS } from './redis.token';

/** Injects the module's connection: `constructor(@InjectRedis() private readonly redis: RedisClient) {}`. */
export function InjectRedis(): ParameterDecorator & PropertyDecorator {
  return Inject(REDIS);
}
