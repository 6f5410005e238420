// Where `npm start` runs the stack. The defaults are the developer's stack; three variables
// move a second one beside it (the test of npm start does): its own namespace, free ports
// and its own state folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PORT_LAYOUTS = ['fixed', 'free'] as const;
export type PortLayout = (typeof PORT_LAYOUTS)[number];

export interface StackSettings {
  /** NATS namespace (first subject token), Redis key prefix, and prefix of the databases (`<namespace>_acd`). */
  readonly namespace: string;
  /** `fixed`: the documented ports (SIP 5060, ARI 8088, HTTP below); `free`: ports the OS reports free. */
  readonly ports: PortLayout;
  /** Logs, recordings and the running stack's description (stack.json); outside the clone. */
  readonly stateDir: string;
}

/** The tenant every call of the local stack belongs to (the sites' LIANLUO_TENANT). */
export const TENANT = 'demo';
export const NATS_URL = 'nats://127.0.0.1:4222';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/** The services of the stack, in the order they are printed. */
export const SERVICES = ['api', 'media-gateway-bj', 'media-gateway-sz', 'acd', 'ivr', 'voicemail', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** HTTP ports of the `fixed` layout: each service's own default (as in the Helm chart), the gateways beside them. */
export const FIXED_HTTP_PORTS: Readonly<Record<ServiceName, number>> = {
  api: 3000,
  'media-gateway-bj': 3101,
  'media-gateway-sz': 3102,
  acd: 3002,
  ivr: 3003,
  voicemail: 3004,
  reporting: 3005,
};

/** A namespace is also part of database names, so: lowercase letters, digits and _ only. */
const NAMESPACE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Reads LIANLUO_NAMESPACE (`lianluo`), LIANLUO_PORTS (`fixed` | `free`) and LIANLUO_STATE_DIR
 * (`$XDG_STATE_HOME/lianluo`, i.e. ~/.local/state/lianluo); throws naming each bad variable.
 */
export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const problems: string[] = [];
  const namespace = env.LIANLUO_NAMESPACE || 'lianluo';
  if (!NAMESPACE.test(namespace)) problems.push(`LIANLUO_NAMESPACE: must be 1-40 of a-z, 0-9 and _, starting with a letter (got "${namespace}")`);
  const ports = (env.LIANLUO_PORTS || 'fixed') as PortLayout;
  if (!PORT_LAYOUTS.includes(ports)) problems.push(`LIANLUO_PORTS: must be ${PORT_LAYOUTS.join(' or ')} (got "${ports}")`);
  if (problems.length > 0) throw new Error(`invalid settings:\n  ${problems.join('\n  ')}`);
  return { namespace, ports, stateDir: stateDirOf(env) };
}

/** The state folder a stack started with `env` uses; `npm run call` and `npm run agent` find the stack there. */
export function stateDirOf(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIANLUO_STATE_DIR) return resolve(env.LIANLUO_STATE_DIR);
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'lianluo');
}

/** The services that keep a database of their own. */
export const DATABASE_SERVICES = ['api', 'acd', 'ivr', 'voicemail', 'reporting'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

/** The database of one service of a stack, e.g. `lianluo_acd`. */
export function databaseOf(namespace: string, service: DatabaseService): string {
  return `${namespace}_${service}`;
}
