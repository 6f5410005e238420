import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisClient } from '@lianluo/redis';

/** The routing scripts, by the file name they live in (`scripts/<name>.lua`). */
export const ROUTING_SCRIPT_NAMES = [
  'define-queue',
  'enqueue-contact',
  'cancel-contact',
  'login-agent',
  'logout-agent',
  'set-agent-ready',
  'set-agent-not-ready',
  'accept-offer',
  'reject-offer',
  'expire-offers',
  'release-contact',
  'end-wrap-ups',
  'contact-position',
] as const;

export type RoutingScriptName = (typeof ROUTING_SCRIPT_NAMES)[number];

const SCRIPTS_DIR = join(__dirname, 'scripts');

function commandName(script: RoutingScriptName): string {
  return `acd_${script.replace(/-/g, '_')}`;
}

let sources: Map<RoutingScriptName, string> | undefined;

// Each script is routing-core.lua followed by its own file: Redis scripts cannot share
// functions, and one EVALSHA per decision is the point.
function scriptSources(): Map<RoutingScriptName, string> {
  if (sources === undefined) {
    const core = readFileSync(join(SCRIPTS_DIR, 'routing-core.lua'), 'utf8');
    sources = new Map(ROUTING_SCRIPT_NAMES.map((name) => [name, `${core}\n${readFileSync(join(SCRIPTS_DIR, `${name}.lua`), 'utf8')}`]));
  }
  return sources;
}

type ScriptCommand = (baseKey: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Runs the routing scripts on one connection. `defineCommand` sends each script's body
 * once per connection and EVALSHA after that, reloading by itself after a NOSCRIPT
 * (a restarted or failed-over Redis).
 */
export class RoutingScripts {
  constructor(private readonly client: RedisClient) {
    for (const [name, lua] of scriptSources()) {
      if (!(commandName(name) in client)) client.defineCommand(commandName(name), { numberOfKeys: 1, lua });
    }
  }

  run(script: RoutingScriptName, baseKey: string, args: (string | number)[]): Promise<unknown> {
    const command = (this.client as unknown as Record<string, ScriptCommand>)[commandName(script)];
    return command.call(this.client, baseKey, ...args);
  }
}
