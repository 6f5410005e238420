import { configSchema, type LogLevel, loadConfig, logConfig, serviceIdentity } from '@lianluo/config';
import type { ObservabilityOptions } from './observability-options';

/** What the module runs with, once options and environment are combined. */
export interface ObservabilitySettings {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  readonly site?: string;
  readonly logLevel: LogLevel;
}

export const OBSERVABILITY_SETTINGS = Symbol('lianluo:observability-settings');

const observabilityConfig = configSchema(logConfig, serviceIdentity);

/** @throws ConfigError when `LOG_LEVEL` or `SERVICE_NAME` is malformed. */
export function resolveObservabilitySettings(options: ObservabilityOptions): ObservabilitySettings {
  const env = options.env ?? process.env;
  const config = loadConfig(observabilityConfig, env);
  const site = options.site ?? (env.SITE?.trim() || undefined);
  return {
    serviceName: config.SERVICE_NAME ?? options.serviceName,
    ...(options.serviceVersion !== undefined && { serviceVersion: options.serviceVersion }),
    ...(site !== undefined && { site }),
    logLevel: options.logLevel ?? config.LOG_LEVEL,
  };
}
