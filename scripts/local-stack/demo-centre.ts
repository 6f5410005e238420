// The demo contact centre `npm start` sets up: acd's queues and agents (demo-acd.yaml), the
// callers the ivr knows (a VIP customer, a blocked number), the agents logged in and ready.
import { create } from '@bufbuild/protobuf';
import { AcdCommands, ErrorKind } from '@lianluo/contracts';
import { CommandClient, type MessagingConnection } from '@lianluo/messaging';
import { type ServiceTokenSigner } from '@lianluo/service-auth';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { TENANT } from './stack-settings';

/** acd's configuration file (ACD_CONFIG_FILE). */
export const DEMO_ACD_FILE = resolve(__dirname, 'demo-acd.yaml');
/** The ivr's flows: demo.yaml answers 100 and 4008001234. */
export const DEMO_FLOWS_DIR = resolve(__dirname, '..', '..', 'services', 'ivr', 'flows');
export const DEMO_NUMBERS = ['100', '4008001234'] as const;

/** Calling numbers to try with `npm run call -- --from <number>`. */
export const DEMO_CALLERS = {
  /** Nobody the ivr knows: hears the menu. */
  ordinary: '13800000001',
  /** Customer c-vip, VIP tier 2, last served by agent chen: straight to the vip queue. */
  vip: '13800000002',
  /** On the blocked list: told there is no service, and hung up. */
  blocked: '13800000003',
} as const;

export const DEMO_VIP = { id: 'c-vip', name: 'Wang Fang', vipTier: 2, lastAgent: 'chen' } as const;

export interface DemoAgent {
  readonly agentId: string;
  readonly site: string;
  readonly extension: string;
  readonly queues: readonly string[];
}

/** The agents of demo-acd.yaml (acd validates the file itself at start-up). */
export async function demoAgents(): Promise<DemoAgent[]> {
  const document = parse(await readFile(DEMO_ACD_FILE, 'utf8')) as {
    tenants: Record<string, { agents: { agentId: string; site: string; phone: { extension: string }; queues: string[] }[] }>;
  };
  return (document.tenants[TENANT]?.agents ?? []).map((agent) => ({ agentId: agent.agentId, site: agent.site, extension: agent.phone.extension, queues: agent.queues }));
}

/** Loads the VIP customer and the blocked number through the ivr's HTTP API, as api passes on a CRM sync: signed as api. */
export async function loadDemoCallers(ivrUrl: string, asApi: ServiceTokenSigner): Promise<void> {
  const put = async (url: string, body: unknown) => {
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: await asApi.authorizationFor('ivr') }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`PUT ${url}: ${response.status} ${await response.text()}`);
  };
  await put(`${ivrUrl}/tenants/${TENANT}/customers/${DEMO_VIP.id}`, {
    name: DEMO_VIP.name,
    numbers: [DEMO_CALLERS.vip],
    vip_tier: DEMO_VIP.vipTier,
    last_agent: DEMO_VIP.lastAgent,
  });
  await put(`${ivrUrl}/tenants/${TENANT}/blocked-numbers/${DEMO_CALLERS.blocked}`, { reason: 'nuisance calls (demo)' });
}

export type AgentAction = 'login' | 'logout' | 'ready' | 'not-ready';
export const AGENT_ACTIONS: readonly AgentAction[] = ['login', 'logout', 'ready', 'not-ready'];

/**
 * Does what an agent's desktop will do: log in, log out, become ready or not ready (with a
 * reason code). Resolves to the acd's refusal, e.g. `NOT_FOUND agentId: agent x is not
 * configured`, or undefined when it was done.
 */
export async function actAsAgent(connection: MessagingConnection, agentId: string, action: AgentAction, reasonCode = 'break'): Promise<string | undefined> {
  const client = new CommandClient(connection);
  const base = { commandId: `local-stack:${randomUUID()}`, tenant: TENANT, agentId };
  const options = { timeoutMs: 10_000 };
  const outcome = await (() => {
    switch (action) {
      case 'login':
        return client.request(AcdCommands.loginAgent, create(AcdCommands.loginAgent.request, base), options);
      case 'logout':
        return client.request(AcdCommands.logoutAgent, create(AcdCommands.logoutAgent.request, base), options);
      case 'ready':
        return client.request(AcdCommands.setAgentReady, create(AcdCommands.setAgentReady.request, base), options);
      case 'not-ready':
        return client.request(AcdCommands.setAgentNotReady, create(AcdCommands.setAgentNotReady.request, { ...base, reasonCode }), options);
    }
  })();
  if (outcome.ok) return undefined;
  const { kind, field, message } = outcome.error;
  return `${ErrorKind[kind]}${field ? ` ${field}` : ''}: ${message}`;
}

/** Logs every demo agent in and makes it ready; the refusals, one line per agent (none when all went well). */
export async function readyDemoAgents(connection: MessagingConnection, agents: readonly DemoAgent[]): Promise<string[]> {
  const problems: string[] = [];
  for (const agent of agents) {
    for (const action of ['login', 'ready'] as const) {
      const refusal = await actAsAgent(connection, agent.agentId, action);
      if (refusal !== undefined) {
        problems.push(`agent ${agent.agentId} ${action}: ${refusal}`);
        break;
      }
    }
  }
  return problems;
}
