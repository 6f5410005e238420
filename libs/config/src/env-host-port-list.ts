import { z } from 'zod';
import { envList } from './env-list';
import type { HostPort } from './host-port';

// `host:port`, or `[v6-address]:port`.
const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

const hostPort = z.string().transform((value, context): HostPort => {
  const match = HOST_PORT.exec(value);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) {
    context.issues.push({ code: 'custom', message: 'must be host:port', input: value });
    return z.NEVER;
  }
  return { host: match[1] ?? match[2] ?? '', port };
});

/** At least one `host:port`, comma-separated, e.g. `10.0.0.1:26379,10.0.0.2:26379`. */
export function envHostPortList() {
  return envList(hostPort, { min: 1 });
}
