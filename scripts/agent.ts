// `npm run agent -- <agent> ready | not-ready [reason] | login | logout`: what an agent's
// desktop will do, until there is one, against the stack `npm start` runs (acd's commands
// on NATS). LIANLUO_STATE_DIR names the stack when it is not the default.
import { MessagingConnection } from '@lianluo/messaging';
import { AGENT_ACTIONS, type AgentAction, actAsAgent, demoAgents } from './local-stack/demo-centre';
import { readRunningStack } from './local-stack/running-stack';
import { stateDirOf } from './local-stack/stack-settings';

async function main(): Promise<number> {
  const [agentId, action, reasonCode] = process.argv.slice(2);
  if (!agentId || !AGENT_ACTIONS.includes(action as AgentAction)) {
    const agents = await demoAgents();
    console.error(`usage: npm run agent -- <agent> ${AGENT_ACTIONS.join(' | ')} [reason, for not-ready]`);
    console.error(`agents of the demo centre: ${agents.map((agent) => `${agent.agentId} (${agent.site}, phone ${agent.extension})`).join(', ')}`);
    return 2;
  }
  const stack = await readRunningStack(stateDirOf());
  const connection = await MessagingConnection.connect({ servers: stack.natsUrl, namespace: stack.namespace, connectionName: 'npm-run-agent', queueGroup: 'npm-run-agent' });
  try {
    const refusal = await actAsAgent(connection, agentId, action as AgentAction, reasonCode);
    if (refusal !== undefined) {
      console.error(`acd refused ${action} for ${agentId}: ${refusal}`);
      return 1;
    }
    console.log(`${agentId}: ${action} done`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
