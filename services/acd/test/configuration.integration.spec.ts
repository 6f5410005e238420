// Configuration through a real replica, NATS, Redis and a PostgreSQL database of the test's
// own: stored durably, applied to live routing at once, reloaded into an empty Redis,
// imported from YAML all or nothing with each problem's path named.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lianluo/config';
import { AcdCommands, AgentKind, Channel, type ContactOffered, ErrorKind } from '@lianluo/contracts';
import { Pool } from 'pg';
import { startAcd } from '../src/acd.app';
import { acdConfigSchema } from '../src/acd.config';
import { migrate } from '@lianluo/postgres';
import { endTestPool } from '@lianluo/testing';
import { MIGRATIONS_DIR } from '../src/configuration/migrations-dir';
import { type AcdTestBed, acdEnv, openAcdTestBed } from './acd-harness';
import { connectRedis, deleteNamespace } from './routing-harness';

const SUPPORT_YAML = `
skills:
  - name: network
    description: Routers and fibre
queues:
  - queue: support
    offerTimeoutMs: 15000
    steps:
      - kind: named-agents
        agents: [lin]
        timeoutMs: 20000
      - kind: skilled
agents:
  - agentId: lin
    site: sz
    phone: { extension: "2001" }
    skills: { network: 5 }
    capacity: { voice: 1, chat: 2 }
    queues: [support]
`;

describe('configuration', () => {
  let bed: AcdTestBed;
  let database: Pool;

  beforeAll(async () => {
    bed = await openAcdTestBed();
    database = new Pool({ connectionString: (await acdEnv(bed.namespace)).DATABASE_URL, max: 2 });
  }, 30_000);

  afterAll(async () => {
    await endTestPool(database);
    await bed.close();
  });

  const rows = async (sql: string) => (await database.query(sql)).rows;
  const failure = (outcome: { ok: boolean; error?: { kind: ErrorKind; field: string; message: string } }) =>
    outcome.ok ? 'ok' : `${ErrorKind[outcome.error!.kind]} ${outcome.error!.field}`;

  it('imports a YAML document into PostgreSQL and live routing at once', async () => {
    expect(await bed.client.ok(AcdCommands.importConfiguration, { yaml: SUPPORT_YAML })).toMatchObject({ skills: 1, queues: 1, agents: 1 });
    expect(await rows(`SELECT tenant, queue, definition->'steps'->0->>'kind' AS first FROM acd.queue`)).toEqual([{ tenant: 'acme', queue: 'support', first: 'named-agents' }]);
    expect(await rows(`SELECT agent_id, profile->'capacity' AS capacity FROM acd.agent`)).toEqual([{ agent_id: 'lin', capacity: { voice: 1, chat: 2 } }]);
    await bed.client.ok(AcdCommands.loginAgent, { agentId: 'lin' });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: 'lin' });
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: 'c1', queue: 'support', channel: Channel.CHAT, requiredSkills: { network: 3 } } });
    expect(await bed.recorder.next<ContactOffered>('contact_offered', { contactId: 'c1' })).toMatchObject({ agent: { agentId: 'lin', site: 'sz' } });
  });

  it('imports nothing when any part of a document is wrong, and names the path of every problem', async () => {
    const broken = `
queues:
  - queue: billing
    steps:
      - kind: skilled
      - kind: whole-centre
agents:
  - agentId: mo
    site: bj
    capacity: { voice: 1 }
    queues: [billing, nowhere]
    skills: { network: 9 }
`;
    const outcome = await bed.client.send(AcdCommands.importConfiguration, { yaml: broken });
    expect(failure(outcome)).toBe('INVALID_ARGUMENT queues[0].steps[0].timeout_ms');
    expect(outcome.ok ? '' : outcome.error.message).toContain('agents[0].skills.network: must be at most 5');
    const unresolved = await bed.client.send(AcdCommands.importConfiguration, { yaml: broken.replace('      - kind: skilled\n', '').replace('network: 9', 'cooking: 2') });
    expect(failure(unresolved)).toBe('INVALID_ARGUMENT agents[0].queues[1]');
    expect(unresolved.ok ? '' : unresolved.error.message).toMatch(/10:23 agents\[0\]\.queues\[1\]: queue "nowhere" is not configured; 11:24 agents\[0\]\.skills\.cooking: skill "cooking" is not in the catalogue/);
    const syntax = await bed.client.send(AcdCommands.importConfiguration, { yaml: 'queues:\n  - queue: x\n    steps: [ {kind: skilled\n' });
    expect(failure(syntax)).toBe('INVALID_ARGUMENT (yaml)');
    // The unclosed flow sequence of line 3 is reported where the parser noticed it.
    expect(syntax.ok ? 0 : syntax.error.problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(await rows(`SELECT queue FROM acd.queue WHERE queue = 'billing'`)).toEqual([]);
    expect(await rows(`SELECT agent_id FROM acd.agent WHERE agent_id = 'mo'`)).toEqual([]);
  });

  it('refuses to delete a queue agents still belong to, or a skill they have', async () => {
    expect(failure(await bed.client.send(AcdCommands.deleteQueue, { queue: 'support' }))).toBe('FAILED_PRECONDITION queue');
    expect(failure(await bed.client.send(AcdCommands.deleteSkill, { name: 'network' }))).toBe('FAILED_PRECONDITION name');
    expect(failure(await bed.client.send(AcdCommands.deleteAgent, { agentId: 'lin' }))).toBe('FAILED_PRECONDITION agent_id');
    expect(failure(await bed.client.send(AcdCommands.upsertQueue, { queue: { queue: 'q9', overflow: { afterMs: 60_000, target: { case: 'queue', value: 'nowhere' } } } }))).toBe(
      'NOT_FOUND queue.overflow.queue',
    );
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: 'spare' } });
    await bed.client.ok(AcdCommands.deleteQueue, { queue: 'spare' });
    expect(await rows(`SELECT queue FROM acd.queue WHERE queue = 'spare'`)).toEqual([]);
    expect(failure(await bed.client.send(AcdCommands.deleteQueue, { queue: 'spare' }))).toBe('NOT_FOUND queue');
  });

  it('loads what PostgreSQL holds into an empty Redis when a replica starts', async () => {
    await bed.client.ok(AcdCommands.upsertAgent, {
      agent: { agentId: 'kim', site: 'bj', kind: AgentKind.AGENT, skills: { network: 2 }, capacity: { email: 3 }, queues: ['support'] },
    });
    // Redis loses everything (a new, empty server); a replica that starts puts the configuration back.
    const redis = await connectRedis('acd-test-flush');
    await deleteNamespace(redis, bed.namespace);
    await redis.quit();
    await bed.startReplica();
    for (const agentId of ['kim', 'lin']) {
      await bed.client.ok(AcdCommands.loginAgent, { agentId });
      await bed.client.ok(AcdCommands.setAgentReady, { agentId });
    }
    // Routed by the stored steps (the named expert first) and the stored profiles.
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: 'c2', queue: 'support', channel: Channel.VOICE, requiredSkills: { network: 3 } } });
    expect(await bed.recorder.next<ContactOffered>('contact_offered', { contactId: 'c2' })).toMatchObject({ agent: { agentId: 'lin' } });
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: 'm1', queue: 'support', channel: Channel.EMAIL } });
    await bed.client.ok(AcdCommands.reassignContact, { contactId: 'm1', supervisorId: 'sup', target: { case: 'agentId', value: 'kim' } });
    expect(await bed.recorder.next<ContactOffered>('contact_offered', { contactId: 'm1' })).toMatchObject({ agent: { agentId: 'kim' } });
  });

  it('upserts the configuration file at start-up, and refuses to start on a broken one, naming the path', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'acd-config-'));
    try {
      const file = join(folder, 'acd.yaml');
      await writeFile(file, `tenants:\n  globex:\n${SUPPORT_YAML.replace(/^/gm, '    ')}`);
      const replica = await startAcd(loadConfig(acdConfigSchema, await acdEnv(bed.namespace, { ACD_CONFIG_FILE: file })), { clock: bed.clock, manualTimers: true });
      await replica.close();
      expect(await rows(`SELECT tenant, queue FROM acd.queue WHERE tenant = 'globex'`)).toEqual([{ tenant: 'globex', queue: 'support' }]);

      await writeFile(file, 'tenants:\n  globex:\n    queues:\n      - queue: support\n        strategy: fastest\n');
      await expect(startAcd(loadConfig(acdConfigSchema, await acdEnv(bed.namespace, { ACD_CONFIG_FILE: file })), { manualTimers: true })).rejects.toThrow(
        /tenants\.globex\.queues\[0\]\.strategy: must be one of/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('migrates a database once: a second start finds nothing to do', async () => {
    expect(await migrate(database, { dir: MIGRATIONS_DIR, schema: 'acd' })).toEqual([]);
    expect(await rows(`SELECT name FROM acd.pgmigrations ORDER BY id`)).toEqual([
      { name: '1767225600000_acd-configuration' },
      { name: '1767312000000_acd-callbacks' },
      { name: '1767398400000_acd-callback-traces' },
      { name: '1767484800000_acd-catalogue-codes' },
    ]);
  });
});
