// `npm run agent -- <agent> ready | not-ready [reason] | login | logout`: what an agent's
// desktop does, against the stack `npm start` runs: the agent's person (demo-users.yaml) signs
// in at the api and acts through its typed client. LIANLUO_STATE_DIR names the stack when it
// is not the default.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { BrowserSignIn } from '@lianluo/testing';
import { AGENT_ACTIONS, type AgentAction } from './local-stack/demo-centre';
import { demoUsers } from './local-stack/demo-people';
import { readRunningStack } from './local-stack/running-stack';
import { stateDirOf } from './local-stack/stack-settings';

async function act(api: ApiClient, tenant: string, action: AgentAction, reason: string): Promise<{ ok: boolean; status: number; message?: string }> {
  const params = { params: { path: { tenant } } };
  const { response, error } = await (() => {
    switch (action) {
      case 'login':
        return api.POST('/v1/tenants/{tenant}/me/login', { ...params, body: {} });
      case 'logout':
        return api.POST('/v1/tenants/{tenant}/me/logout', params);
      case 'ready':
        return api.POST('/v1/tenants/{tenant}/me/ready', params);
      case 'not-ready':
        return api.POST('/v1/tenants/{tenant}/me/not-ready', { ...params, body: { reason } });
    }
  })();
  return { ok: response.ok, status: response.status, message: (error as { message?: string } | undefined)?.message };
}

async function main(): Promise<number> {
  const [agentId, action, reasonCode = 'break'] = process.argv.slice(2);
  const people = (await demoUsers()).filter((person) => person.agentId);
  const person = people.find((candidate) => candidate.agentId === agentId);
  if (!person || !AGENT_ACTIONS.includes(action as AgentAction)) {
    console.error(`usage: npm run agent -- <agent> ${AGENT_ACTIONS.join(' | ')} [reason, for not-ready]`);
    console.error(`agents of the demo centre: ${people.map((p) => `${p.agentId} (signs in as ${p.login})`).join(', ')}`);
    return 2;
  }
  const stack = await readRunningStack(stateDirOf());
  const baseUrl = stack.services.api.url;
  const tokens = await new BrowserSignIn({ issuer: `${baseUrl}/oidc`, clientId: 'lianluo-desktop', redirectUri: `${baseUrl}/app/callback` }).signIn(person.login, person.password);
  const outcome = await act(createApiClient({ baseUrl, accessToken: () => tokens.access_token }), stack.tenant, action as AgentAction, reasonCode);
  if (!outcome.ok) {
    console.error(`the api refused ${action} for ${agentId}: ${outcome.status} ${outcome.message ?? ''}`.trimEnd());
    return 1;
  }
  console.log(`${agentId}: ${action} done`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
