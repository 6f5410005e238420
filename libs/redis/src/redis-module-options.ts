import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { RedisConfig } from '@lianluo/config';

export interface RedisModuleOptions {
  /** Shown by `CLIENT LIST`; the service name is a good choice. */
  readonly connectionName?: string;
  /** Name of the readiness check; `redis` by default. */
  readonly readinessCheckName?: string;
}

export interface RedisModuleAsyncOptions extends RedisModuleOptions, Pick<ModuleMetadata, 'imports'> {
  /** Returns the Redis part of the service's configuration, e.g. from `CONFIG`. */
  readonly useFactory: (...dependencies: never[]) => RedisConfig | Promise<RedisConfig>;
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
}

export const REDIS_MODULE_OPTIONS = Symbol('lianluo:redis-module-options');
export const REDIS_MODULE_CONFIG = Symbol('lianluo:redis-module-config');
