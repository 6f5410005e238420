import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisClient } from '@lianluo/redis';
import type { Cluster } from 'ioredis';

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
  'configure-agent',
  'delete-agent',
  'delete-queue',
  'escalate-contacts',
  'overflow-contacts',
  'transfer-contact',
  'reassign-contact',
  'announce-positions',
  'continue-enrolments',
  'hang-up-contact',
] as const;

export type RoutingScriptName = (typeof ROUTING_SCRIPT_NAMES)[number];

const SCRIPTS_DIR = join(__dirname, 'scripts');

interface RoutingLibrary {
  readonly name: string;
  readonly code: string;
  readonly functions: ReadonlyMap<RoutingScriptName, string>;
}

let library: RoutingLibrary | undefined;

/**
 * One Redis function library: routing-core.lua, then each script as the body of a function
 * that starts with begin(). Its name carries a hash of the code, so replicas of two
 * versions (a rolling upgrade) each call their own functions.
 */
export function routingLibrary(): RoutingLibrary {
  if (library === undefined) {
    // ACD_LUA_SELF_CHECK=1 (the acd's tests) makes every script check the state it keeps
    // in memory for one run against Redis before it ends (routing-core.lua, SELF_CHECK).
    const selfCheck = process.env.ACD_LUA_SELF_CHECK === '1';
    const read = (name: string) => {
      const text = readFileSync(join(SCRIPTS_DIR, `${name}.lua`), 'utf8');
      return selfCheck ? text.replace(/^local SELF_CHECK = false$/m, 'local SELF_CHECK = true') : text;
    };
    const bodies = ROUTING_SCRIPT_NAMES.map((script) => [script, read(script)] as const);
    const hash = createHash('sha1')
      .update(read('routing-core'))
      .update(bodies.map(([, body]) => body).join('\0'))
      .digest('hex')
      .slice(0, 12);
    const name = `acd_${hash}`;
    const functions = new Map(ROUTING_SCRIPT_NAMES.map((script) => [script, `${name}_${script.replace(/-/g, '_')}`]));
    const code = [
      `#!lua name=${name}`,
      read('routing-core'),
      ...bodies.map(([script, body]) => `redis.register_function('${functions.get(script)}', function(keys, args)\nbegin(keys, args)\n${body}\nend)`),
    ].join('\n');
    library = { name, code, functions };
  }
  return library;
}

function isCluster(client: RedisClient): client is Cluster {
  return 'nodes' in client && typeof (client as Cluster).nodes === 'function';
}

/**
 * Runs the routing scripts as functions of one Redis library. A function call costs the
 * script alone: the shared core is defined once when the library is loaded, not on every
 * call as EVALSHA would. The library is loaded on first use (on every master of a
 * Cluster) and again when Redis has lost it (a restarted or failed-over server).
 */
export class RoutingScripts {
  private loaded: Promise<void> | undefined;

  constructor(private readonly client: RedisClient) {}

  async run(script: RoutingScriptName, baseKey: string, args: (string | number)[]): Promise<unknown> {
    const { functions } = routingLibrary();
    const call = () => this.client.call('FCALL', functions.get(script)!, 1, baseKey, ...args);
    await (this.loaded ??= this.load());
    try {
      return await call();
    } catch (error) {
      if (!/Function not found/i.test(String((error as Error).message))) throw error;
      this.loaded = this.load();
      await this.loaded;
      return call();
    }
  }

  private async load(): Promise<void> {
    const { code } = routingLibrary();
    const nodes: RedisClient[] = isCluster(this.client) ? this.client.nodes('master') : [this.client];
    try {
      await Promise.all(nodes.map((node) => node.call('FUNCTION', 'LOAD', 'REPLACE', code)));
    } catch (error) {
      this.loaded = undefined;
      throw error;
    }
  }
}
