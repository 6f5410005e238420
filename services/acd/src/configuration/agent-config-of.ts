import { create } from '@bufbuild/protobuf';
import { type AgentConfig, AgentConfigSchema, AgentKind } from '@lianluo/contracts';
import type { AgentProfileInput } from '../agents/agent-profile';

const KINDS = { agent: AgentKind.AGENT, employee: AgentKind.EMPLOYEE, supervisor: AgentKind.SUPERVISOR } as const;

/** The contract's agent configuration for a stored profile (agentProfileOf the other way). */
export function agentConfigOf(agent: AgentProfileInput): AgentConfig {
  const phone = agent.phone as { extension?: string; pstnNumber?: string } | undefined;
  return create(AgentConfigSchema, {
    agentId: agent.agentId,
    site: agent.site,
    kind: KINDS[agent.kind ?? 'agent'],
    phone: phone?.extension !== undefined ? { case: 'extension', value: phone.extension } : phone?.pstnNumber !== undefined ? { case: 'pstnNumber', value: phone.pstnNumber } : { case: undefined },
    skills: { ...(agent.skills ?? {}) },
    capacity: Object.fromEntries(Object.entries(agent.capacity ?? {}).filter((entry): entry is [string, number] => entry[1] !== undefined)),
    queues: [...agent.queues],
  });
}
