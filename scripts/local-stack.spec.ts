// `npm start` as a developer runs it (local-stack.ts, after the provisioning and build that
// npm test has done), beside any stack already running: on a namespace, free ports and a
// state folder of its own. Callers go through the demo flow into acd with `npm run call`;
// every service is ready; Ctrl-C (SIGINT) stops every process the stack started.
import { type DescMessage, type MessageShape, fromBinary } from '@bufbuild/protobuf';
import { ALL_ACD_EVENTS, ALL_IVR_EVENTS, Channel, type EventDefinition, FlowOutcome } from '@lianluo/contracts';
import { MessagingConnection, deleteNamespaceStreams, parseSubject } from '@lianluo/messaging';
import { BrowserSignIn, ensureLocalInfra, freePort, runSipp, startSipp, uniqueNamespace } from '@lianluo/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DEMO_CALLERS, DEMO_VIP } from './local-stack/demo-centre';
import { demoUsers } from './local-stack/demo-people';
import { type RunningStack, processExists, runningStackFile } from './local-stack/running-stack';
import { serviceKeysFile } from './local-stack/stack-service-keys';
import { DATABASE_SERVICES, NATS_URL, POSTGRES_URL, SERVICES, TENANT, databaseOf } from './local-stack/stack-settings';

jest.setTimeout(180_000);

const root = resolve(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
/** Deadline for an event, to fail saying what came instead; never a wait for time to pass. */
const EVENT_DEADLINE_MS = 60_000;

/** A script of this folder run as `npm start` / `npm run` run it, its output kept. */
class ScriptRun {
  output = '';
  /** The exit code once the script has exited and its output is read. */
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private closed = false;
  private wakeUps: (() => void)[] = [];

  constructor(script: string, args: readonly string[], env: Record<string, string>) {
    // Its own process group: afterAll can kill whatever is left of a failed run.
    this.child = spawn(tsx, [join('scripts', script), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.wake();
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = once(this.child, 'close').then(([code]) => {
      this.closed = true;
      this.wake();
      return code as number | null;
    });
  }

  /** Resolves once the output contains `text`; throws with the output when the script ends first. */
  async printed(text: string): Promise<void> {
    while (!this.output.includes(text)) {
      if (this.closed) throw new Error(`${this.child.spawnargs.slice(1).join(' ')} ended (${this.child.exitCode ?? this.child.signalCode}) without printing "${text}":\n${this.output}`);
      await new Promise<void>((wake) => this.wakeUps.push(wake));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILL to the script and its own children; what they started dies with them (setpriv --pdeathsig). */
  killGroup(): void {
    if (!this.closed && this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
  }

  private wake(): void {
    const wakeUps = this.wakeUps;
    this.wakeUps = [];
    for (const wake of wakeUps) wake();
  }
}

type Seen = { name: string; message: MessageShape<DescMessage> & Record<string, unknown> };

/** acd and ivr events of the stack's namespace, as they are published. */
class StackEvents {
  readonly seen: Seen[] = [];
  private waiters: { match: (e: Seen) => boolean; resolve: (e: Seen) => void }[] = [];

  constructor(connection: MessagingConnection) {
    const definitions = new Map([...ALL_ACD_EVENTS, ...ALL_IVR_EVENTS].map((d) => [`${d.domain}.${d.name}`, d as unknown as EventDefinition]));
    const subscription = connection.nc.subscribe(`${connection.namespace}.${TENANT}.*.event.*`);
    void (async () => {
      for await (const received of subscription) {
        const parts = parseSubject(received.subject);
        const definition = parts && definitions.get(`${parts.domain}.${parts.name}`);
        if (!definition) continue;
        const event = { name: parts.name, message: fromBinary(definition.schema, received.data) as Seen['message'] };
        this.seen.push(event);
        this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
      }
    })();
  }

  /** The first event named `name` that `where` accepts, now or when it comes. */
  next<M>(name: string, where: (message: M) => boolean): Promise<M> {
    const match = (e: Seen) => e.name === name && where(e.message as M);
    const seen = this.seen.find(match);
    if (seen) return Promise.resolve(seen.message as M);
    return new Promise((resolveEvent, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== match);
        reject(new Error(`no such ${name} within ${EVENT_DEADLINE_MS} ms; saw ${this.seen.map((e) => e.name).join(', ') || 'nothing'}`));
      }, EVENT_DEADLINE_MS);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolveEvent(e.message as M)) });
    });
  }
}

/**
 * A softphone's registration, as the printout tells a developer to make one: REGISTER with
 * digest authentication from `127.0.3.1` (outside the trunk's 127.0.0.0/24). SIPp takes no
 * keyword inside `[authentication]`, so the credentials are written in.
 */
function registrationScenario(user: string, password: string): string {
  const register = (cseq: number, auth: string) => `
  <send retrans="500"><![CDATA[

      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${user}@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${user}@[remote_ip]>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:${user}@[local_ip]:[local_port]>
      ${auth}
      Expires: 300
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register-phone">${register(1, '')}
  <recv response="401" auth="true"/>${register(2, `[authentication username=${user} password=${password}]`)}
  <recv response="200"/>
</scenario>
`;
}

type Queued = { contact: { queue: string; channel: Channel; customerId: string; call?: { callId: string } }; priority: number; requiredSkills: Record<string, number>; preferredAgent: string };
type FlowEnded = { call: { callId: string }; outcome: FlowOutcome; step: string; queue: string };

describe('npm start', () => {
  const namespace = uniqueNamespace('start');
  let stateDir: string;
  let stack: ScriptRun;
  let running: RunningStack;
  let connection: MessagingConnection;
  let events: StackEvents;

  /** `npm run call -- <args>` against this stack. */
  async function call(...args: string[]): Promise<string> {
    const run = new ScriptRun('call.ts', args, { LIANLUO_STATE_DIR: stateDir });
    expect({ exitCode: await run.exited, output: run.output }).toEqual({ exitCode: 0, output: expect.stringContaining('call ended') });
    return run.output;
  }

  beforeAll(async () => {
    await ensureLocalInfra();
    stateDir = await mkdtemp(join(tmpdir(), 'lianluo-start-'));
    connection = await MessagingConnection.connect({ servers: NATS_URL, namespace, connectionName: 'local-stack-spec', queueGroup: 'local-stack-spec' });
    events = new StackEvents(connection);
    await connection.nc.flush();
    stack = new ScriptRun('local-stack.ts', [], { LIANLUO_NAMESPACE: namespace, LIANLUO_PORTS: 'free', LIANLUO_STATE_DIR: stateDir });
    await stack.printed('Ctrl-C stops everything.');
    running = JSON.parse(await readFile(runningStackFile(stateDir), 'utf8')) as RunningStack;
  });

  afterAll(async () => {
    stack?.killGroup();
    await connection?.close();
    await removeNamespace(namespace);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('prints how to reach every site and service, and every service is ready', async () => {
    for (const site of ['bj', 'sz'] as const) expect(stack.output).toContain(`sip:<number>@${running.sites[site].sipTarget}`);
    for (const name of SERVICES) {
      const { url } = running.services[name];
      expect(stack.output).toContain(url);
      const ready = await fetch(`${url}/health/ready`);
      expect({ name, status: ready.status }).toEqual({ name, status: 200 });
    }
    expect(stack.output).toContain(`from ${DEMO_CALLERS.vip}`);
    expect(stack.output).toContain('1001 / agent-1001');
  });

  it('lets the printed demo people sign in at the api, an agent change its own state and an admin list the users', async () => {
    const people = await demoUsers();
    for (const person of people) expect(stack.output).toContain(person.login);
    const api = running.services.api.url;
    const browser = () => new BrowserSignIn({ issuer: `${api}/oidc`, clientId: 'lianluo-desktop', redirectUri: `${api}/app/callback` });
    const agent = people.find((person) => person.agentId === 'zhou')!;
    const agentTokens = await browser().signIn(agent.login, agent.password);
    const notReady = await fetch(`${api}/v1/tenants/${TENANT}/me/not-ready`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentTokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'break' }),
    });
    expect(notReady.status).toBe(204);
    const changed = await events.next<{ agent: { agentId: string }; reasonCode: string }>('agent_state_changed', (m) => m.agent.agentId === 'zhou' && m.reasonCode === 'break');
    expect(changed.reasonCode).toBe('break');
    const admin = people.find((person) => person.roles.includes('admin'))!;
    const adminTokens = await browser().signIn(admin.login, admin.password);
    const users = await fetch(`${api}/v1/tenants/${TENANT}/users`, { headers: { authorization: `Bearer ${adminTokens.access_token}` } });
    expect(((await users.json()) as { items: { login: string }[] }).items.map((user) => user.login).sort()).toEqual(people.map((person) => person.login).sort());
  });

  it('keeps the services’ own routes for api: refused without its token, answered with the stack’s (npm run service-token)', async () => {
    expect(statSync(serviceKeysFile(stateDir)).mode & 0o777).toBe(0o600);
    const report = `${running.services.reporting.url}/reports/performance?tenant=${TENANT}&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`;
    expect((await fetch(report)).status).toBe(401);
    const run = new ScriptRun('service-token.ts', ['reporting'], { LIANLUO_STATE_DIR: stateDir });
    expect(await run.exited).toBe(0);
    const answered = await fetch(report, { headers: { authorization: `Bearer ${run.output.trim()}` } });
    expect({ status: answered.status, body: await answered.json() }).toMatchObject({ status: 200, body: { items: [{ contacts: 0 }] } });
  });

  it('puts a caller keying 1 through to the ready sales agent whose softphone is registered', async () => {
    // li (bj, 1001) is the one ready agent of sales; the phone answers and hangs up after a moment.
    for (const [agent, action] of [['zhang', 'not-ready'], ['zhou', 'not-ready'], ['li', 'ready']]) {
      const run = new ScriptRun('agent.ts', [agent as string, action as string], { LIANLUO_STATE_DIR: stateDir });
      expect({ exitCode: await run.exited, output: run.output }).toEqual({ exitCode: 0, output: `${agent}: ${action} done\n` });
    }
    const phone = { address: '127.0.3.1', port: await freePort('127.0.3.1') };
    const scenario = join(stateDir, 'register-1001.xml');
    await writeFile(scenario, registrationScenario('1001', 'agent-1001'));
    const registration = await runSipp({ scenario, target: running.sites.bj.sipTarget, service: '1001', localAddress: phone.address, localPort: phone.port, timeoutMs: 15_000 });
    expect({ exitCode: registration.exitCode, errors: registration.errors }).toEqual({ exitCode: 0, errors: '' });
    const softphone = await startSipp({ scenario: 'uas-agent.xml', service: '1001', localAddress: phone.address, localPort: phone.port, values: { answer_after_ms: 300, hangup_after_ms: 1_500 }, timeoutMs: 90_000 });

    const output = await call('100', '1', '--from', DEMO_CALLERS.ordinary);
    const accepted = await events.next<{ contact: { queue: string }; agent: { agentId: string } }>('contact_accepted', () => true);
    expect(accepted).toMatchObject({ contact: { queue: 'sales' }, agent: { agentId: 'li' } });
    expect(output).toContain('acd.contact_accepted');
    expect((await softphone.done).exitCode).toBe(0);
  });

  it('takes a caller keying 2, 1 and an account number through the demo menu into the service queue of acd', async () => {
    const output = await call('100', '2112345#', '--from', DEMO_CALLERS.ordinary, '--wait', '0');
    const collected = await events.next<{ call: { callId: string }; variable: string; value: string }>('input_collected', (m) => m.variable === 'account');
    expect(collected.value).toBe('12345');
    const queued = await events.next<Queued>('contact_queued', (m) => m.contact.call?.callId === collected.call.callId);
    expect(queued).toMatchObject({ contact: { queue: 'service', channel: Channel.VOICE }, requiredSkills: { billing: 3 } });
    expect(output).toContain('acd.contact_queued');
  });

  it('takes the VIP customer straight to the vip queue, and hangs up on the blocked number', async () => {
    await call('100', '-', '--from', DEMO_CALLERS.vip, '--wait', '0');
    const vip = await events.next<Queued>('contact_queued', (m) => m.contact.customerId === DEMO_VIP.id);
    expect(vip).toMatchObject({ contact: { queue: 'vip' }, preferredAgent: DEMO_VIP.lastAgent });

    await call('100', '-', '--from', DEMO_CALLERS.blocked);
    const ended = await events.next<FlowEnded>('flow_ended', (m) => m.step === 'nuisance');
    expect(ended.outcome).toBe(FlowOutcome.HUNG_UP);
    expect(events.seen.filter((e) => e.name === 'contact_queued' && (e.message as unknown as Queued).contact.call?.callId === ended.call.callId)).toEqual([]);
  });

  it('stops every process it started on Ctrl-C', async () => {
    const pids = [running.pid, ...Object.values(running.sites).map((site) => site.asteriskPid), ...Object.values(running.services).map((service) => service.pid)];
    expect(pids.every(processExists)).toBe(true);
    stack.signal('SIGINT');
    expect(await stack.exited).toBe(0);
    expect(stack.output).toContain('stopped: every service and both Asterisk sites have exited.');
    expect(pids.filter(processExists)).toEqual([]);
    expect(existsSync(runningStackFile(stateDir))).toBe(false);
  });
});

/** Everything the stack left under its namespace: streams, Redis keys, databases. */
async function removeNamespace(namespace: string): Promise<void> {
  const nats = await MessagingConnection.connect({ servers: NATS_URL, namespace, connectionName: 'local-stack-spec-cleanup', queueGroup: 'x' });
  await deleteNamespaceStreams(nats);
  await nats.close();
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  await redis.quit();
  const admin = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await admin.connect();
  for (const service of DATABASE_SERVICES) await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(namespace, service)} WITH (FORCE)`);
  await admin.end();
}
