import { type AsteriskSiteConfig } from '@lianluo/testing';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CALLERS, DEMO_NUMBERS, DEMO_VIP, type DemoAgent } from './demo-centre';
import { type DemoUser } from './demo-people';
import { type RunningStack } from './running-stack';
import { DATABASE_SERVICES, SERVICES, type StackSettings, databaseOf } from './stack-settings';

export interface PrintoutInput {
  readonly settings: StackSettings;
  readonly stack: RunningStack;
  readonly sites: Readonly<Record<'bj' | 'sz', AsteriskSiteConfig>>;
  readonly asteriskLogs: Readonly<Record<'bj' | 'sz', string>>;
  readonly agents: readonly DemoAgent[];
  /** Agents that could not be logged in or made ready, and why. */
  readonly agentProblems: readonly string[];
  /** Who can sign in at the api (demo-users.yaml). */
  readonly people: readonly DemoUser[];
}

/** What `npm start` prints once everything answers: how to call in, who answers, where everything is. */
export function stackPrintout({ settings, stack, sites, asteriskLogs, agents, agentProblems, people }: PrintoutInput): string {
  const home = (path: string) => (path.startsWith(homedir() + '/') ? '~' + path.slice(homedir().length) : path);
  const pad = (text: string, width: number) => text.padEnd(width);
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const { services } = stack;
  const phoneOf = (agent: DemoAgent) => {
    const site = sites[agent.site as 'bj' | 'sz'];
    const phone = site?.agents.find((p) => p.extension === agent.extension);
    return `${agent.extension} / ${phone?.password ?? '?'} at ${site?.address}:${site?.sipPort}`;
  };
  const serviceNotes: Record<(typeof SERVICES)[number], string> = {
    api: `the edge for people and tools: /v1/tenants/${stack.tenant}/…, OpenAPI /v1/docs, OpenID provider /oidc`,
    'media-gateway-bj': '',
    'media-gateway-sz': '',
    acd: '',
    ivr: `PUT /tenants/${stack.tenant}/customers/:id, PUT|DELETE /tenants/${stack.tenant}/blocked-numbers/:number`,
    voicemail: `GET /voicemails/${stack.tenant}/:id (JSON), /voicemails/${stack.tenant}/:id/audio (WAV)`,
    reporting: `GET /reports/performance?tenant=${stack.tenant}&from=${today}T00:00:00Z&to=${tomorrow}T00:00:00Z&groupBy=queue, OpenAPI /api-docs`,
  };
  const lines = [
    '',
    `Lianluo is running (Ctrl-C to stop).`,
    '',
    `  Sites (tenant ${stack.tenant}; calls from 127.0.0.1 come in on the PSTN trunk)`,
    ...(['bj', 'sz'] as const).map((name) => `    ${name}  sip:<number>@${stack.sites[name].sipTarget}    ARI ${stack.sites[name].ariUrl}/ari`),
    '',
    `  Numbers: services/ivr/flows/demo.yaml answers ${DEMO_NUMBERS.join(' and ')} at either site`,
    `    menu  1 sales; 2 service, then 1 and an account number (4-8 digits, #) for the billing-skilled service queue`,
    `    from ${DEMO_CALLERS.ordinary}  an ordinary caller: hears the menu`,
    `    from ${DEMO_CALLERS.vip}  VIP customer ${DEMO_VIP.name} (${DEMO_VIP.id}): no menu, vip queue, agent ${DEMO_VIP.lastAgent} first`,
    `    from ${DEMO_CALLERS.blocked}  a blocked number: "no service", hung up`,
    '',
    `  Call in from another terminal (SIPp as the PSTN caller; it prints the call's events):`,
    ...[
      ['npm run call', `100 from ${DEMO_CALLERS.ordinary}, keys 1: the sales queue`],
      ['npm run call -- 100 2112345#', '2, 1, account 12345 #: the service queue'],
      [`npm run call -- 100 - --from ${DEMO_CALLERS.vip}`, 'the VIP (- keys nothing)'],
      [`npm run call -- 100 - --from ${DEMO_CALLERS.blocked}`, 'the blocked number'],
      ['npm run call -- 4008001234 1 --site sz', 'at Suzhou; --wait <s>: how long the caller holds in a queue (60)'],
    ].map(([command, what]) => `    ${pad(command as string, 46)}# ${what}`),
    '',
    `  Agents (logged in and ready at start; acd dials their phones, a phone it cannot reach makes its agent not ready)`,
    `    ${pad('agent', 7)}${pad('site', 6)}${pad('phone: SIP user / password at registrar', 42)}queues`,
    ...agents.map((agent) => `    ${pad(agent.agentId, 7)}${pad(agent.site, 6)}${pad(phoneOf(agent), 42)}${agent.queues.join(', ')}`),
    `    Register a softphone from an address outside 127.0.0.0/24 (that range is the trunk), e.g. bound to 127.0.3.1.`,
    `    Until the agent desktop:  npm run agent -- <agent> ready | not-ready | login | logout (signs in as the agent, acts through the api)`,
    ...agentProblems.map((problem) => `    ! ${problem}`),
    '',
    `  People (sign in at ${services.api.url}/oidc, e.g. from the OpenAPI page ${services.api.url}/v1/docs)`,
    `    ${pad('login', 18)}${pad('password', 22)}roles`,
    ...people.map((person) => `    ${pad(person.login, 18)}${pad(person.password, 22)}${person.roles.join(', ')}${person.agentId ? ` (agent ${person.agentId})` : ''}`),
    `    A tool: register a client in API_SEED_FILE (clients:) and use client credentials at ${services.api.url}/oidc/token.`,
    '',
    `  Services on 127.0.0.1, each with /metrics, /health/live, /health/ready`,
    ...SERVICES.map((name) => `    ${pad(name.replace('media-gateway-', 'media-gateway '), 18)}${pad(services[name].url, 24)}${serviceNotes[name]}`.trimEnd()),
    '',
    `  NATS ${stack.natsUrl}, subjects ${settings.namespace}.${stack.tenant}.<domain>.event.* (streams ${settings.namespace.toUpperCase()}_CALL, _ACD, _IVR, _VOICEMAIL)`,
    `  Redis key prefix ${settings.namespace}; PostgreSQL databases ${DATABASE_SERVICES.map((s) => databaseOf(settings.namespace, s)).join(', ')}`,
    `  Logs ${home(join(settings.stateDir, 'logs'))}/<service>.log; Asterisk ${home(asteriskLogs.bj)}, ${home(asteriskLogs.sz)}`,
    `  Recordings and voicemail audio ${home(join(settings.stateDir, 'recordings'))}`,
    '',
    `  Ctrl-C stops everything.`,
    '',
  ];
  return lines.join('\n');
}
