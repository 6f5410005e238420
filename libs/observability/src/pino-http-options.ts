import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { ObservabilitySettings } from './observability-settings';
import { traceLogFields } from './trace-log-fields';

/** Probes and scrapes arrive every few seconds; a line for each would drown the rest. */
export function isProbeRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?', 1)[0] ?? '';
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/** JSON lines with the level as a word, service and site on every line, no pretty printing. */
export function pinoHttpOptions(settings: ObservabilitySettings): Options {
  return {
    level: settings.logLevel,
    base: {
      pid: process.pid,
      hostname: hostname(),
      service: settings.serviceName,
      ...(settings.site !== undefined && { site: settings.site }),
    },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceLogFields,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    autoLogging: { ignore: isProbeRequest },
  };
}
