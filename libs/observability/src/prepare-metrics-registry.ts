import { collectDefaultMetrics, register, type Registry } from 'prom-client';
import type { ObservabilitySettings } from './observability-settings';

/**
 * The prom-client default registry, labelled with the service (and site), with Node's
 * default metrics under their usual names. Default metrics are collected once per
 * process, however many applications a test creates.
 */
export function prepareMetricsRegistry(settings: ObservabilitySettings): Registry {
  register.setDefaultLabels({ service: settings.serviceName, ...(settings.site !== undefined && { site: settings.site }) });
  if (register.getSingleMetric('process_cpu_user_seconds_total') === undefined) collectDefaultMetrics({ register });
  return register;
}
