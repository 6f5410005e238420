import type { AgentConfig } from '@lianluo/contracts';
import type { AgentProfileInput } from '../agents/agent-profile';
import { AGENT_KIND_NAMES } from '../routing/proto-enums';

/** The domain's agent profile for a contract's agent configuration. */
export function agentProfileOf(agent: AgentConfig): AgentProfileInput {
  const phone = agent.phone.case === 'extension' ? { extension: agent.phone.value } : agent.phone.case === 'pstnNumber' ? { pstnNumber: agent.phone.value } : undefined;
  return {
    agentId: agent.agentId,
    site: agent.site,
    kind: AGENT_KIND_NAMES[agent.kind],
    ...(phone ? { phone } : {}),
    skills: agent.skills,
    capacity: agent.capacity,
    queues: agent.queues,
  };
}
