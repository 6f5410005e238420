// Configuration as code through a real replica, NATS, Redis and PostgreSQL: versions and
// conditional writes, export and import round trips, dry runs and pruning, all or nothing.
import { AcdCommands, CancelReason, Channel, ErrorKind } from '@lianluo/contracts';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';

const DOCUMENT = `
skills:
  - name: network
    description: Routers and fibre
queues:
  - queue: support
    offerTimeoutMs: 15000
  - queue: sales
agents:
  - agentId: lin
    site: sz
    phone: { extension: "2001" }
    skills: { network: 5 }
    capacity: { voice: 1 }
    queues: [support]
notReadyReasons:
  - code: lunch
    label: Lunch
wrapUpCodes:
  - code: sold
    label: Sale closed
`;

describe('configuration as code', () => {
  let bed: AcdTestBed;

  beforeAll(async () => {
    bed = await openAcdTestBed();
    await bed.client.ok(AcdCommands.importConfiguration, { yaml: DOCUMENT });
  }, 30_000);

  afterAll(() => bed.close());

  const exported = async () => (await bed.client.ok(AcdCommands.exportConfiguration, {})).yaml;
  const kindOf = (outcome: { ok: boolean; error?: { kind: ErrorKind; field: string } }) => (outcome.ok ? 'ok' : `${ErrorKind[outcome.error!.kind]} ${outcome.error!.field}`);

  it('reads every kind with a version, and the codes catalogues', async () => {
    const configuration = await bed.client.ok(AcdCommands.getConfiguration, {});
    expect(configuration.queues.map(({ queue }) => queue!.queue)).toEqual(['sales', 'support']);
    expect(configuration.queues[1]!.queue!.offerTimeoutMs).toBe(15_000);
    expect(configuration.agents[0]!.agent).toMatchObject({ agentId: 'lin', site: 'sz', phone: { case: 'extension', value: '2001' }, skills: { network: 5 } });
    expect(configuration.notReadyReasons.map(({ reason }) => reason)).toEqual([expect.objectContaining({ code: 'lunch', label: 'Lunch' })]);
    expect(configuration.wrapUpCodes.map(({ code }) => code)).toEqual([expect.objectContaining({ code: 'sold', label: 'Sale closed' })]);
    expect(new Set([...configuration.skills, ...configuration.queues, ...configuration.agents].map(({ version }) => version)).size).toBe(4);
  });

  it('imports its own export without changing anything, and exports the same text again', async () => {
    const before = await exported();
    const outcome = await bed.client.ok(AcdCommands.importConfiguration, { yaml: before, prune: true });
    expect(outcome.applied).toBe(true);
    const { skills, queues, agents, notReadyReasons, wrapUpCodes } = outcome.diff!;
    for (const changes of [skills!, queues!, agents!, notReadyReasons!, wrapUpCodes!]) {
      expect({ created: changes.created, updated: changes.updated, deleted: changes.deleted }).toEqual({ created: [], updated: [], deleted: [] });
    }
    expect(outcome.diff!.queues!.unchanged).toEqual(['sales', 'support']);
    expect(await exported()).toBe(before);
  });

  it('answers a dry run with what would be created, updated and deleted, and changes nothing', async () => {
    const before = await exported();
    const changed = DOCUMENT.replace('offerTimeoutMs: 15000', 'offerTimeoutMs: 16000').replace('  - queue: sales\n', '  - queue: billing\n').replace('code: sold', 'code: lost');
    const outcome = await bed.client.ok(AcdCommands.importConfiguration, { yaml: changed, dryRun: true, prune: true });
    expect(outcome.applied).toBe(false);
    expect(outcome.diff!.queues).toMatchObject({ created: ['billing'], updated: ['support'], deleted: ['sales'], unchanged: [] });
    expect(outcome.diff!.wrapUpCodes).toMatchObject({ created: ['lost'], deleted: ['sold'] });
    expect(outcome.diff!.agents).toMatchObject({ unchanged: ['lin'] });
    expect(await exported()).toBe(before);
  });

  it('prunes what the document does not name, and keeps it without prune', async () => {
    const withoutSales = DOCUMENT.replace('  - queue: sales\n', '');
    const kept = await bed.client.ok(AcdCommands.importConfiguration, { yaml: withoutSales });
    expect(kept.diff!.queues).toMatchObject({ deleted: [], unchanged: ['sales', 'support'] });
    const pruned = await bed.client.ok(AcdCommands.importConfiguration, { yaml: withoutSales, prune: true });
    expect(pruned.diff!.queues).toMatchObject({ deleted: ['sales'], unchanged: ['support'] });
    expect((await bed.client.ok(AcdCommands.getConfiguration, {})).queues.map(({ queue }) => queue!.queue)).toEqual(['support']);
    expect(kindOf(await bed.client.send(AcdCommands.enqueueContact, { contact: { contactId: 'x1', queue: 'sales', channel: Channel.VOICE } }))).toBe('NOT_FOUND contact.queue');
    await bed.client.ok(AcdCommands.importConfiguration, { yaml: DOCUMENT });
  });

  it('changes nothing when a pruning import is refused by live routing', async () => {
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: 'w1', queue: 'sales', channel: Channel.VOICE } });
    const before = await exported();
    // Pruned: agent lin (out of Redis first), then queue sales, which live routing refuses.
    const withoutLinAndSales = DOCUMENT.replace('  - queue: sales\n', '').replace(/agents:\n(?: {2}.*\n)+?notReadyReasons:/, 'agents: []\nnotReadyReasons:');
    const refused = await bed.client.send(AcdCommands.importConfiguration, { yaml: withoutLinAndSales.replace('code: sold', 'code: lost'), prune: true });
    expect(kindOf(refused)).toBe('FAILED_PRECONDITION queue');
    expect(await exported()).toBe(before);
    // Live routing has lin back too.
    await bed.client.ok(AcdCommands.loginAgent, { agentId: 'lin' });
    await bed.client.ok(AcdCommands.logoutAgent, { agentId: 'lin' });
    await bed.client.ok(AcdCommands.cancelContact, { contactId: 'w1', reason: CancelReason.WITHDRAWN });
  });

  it('refuses a write or delete whose expected version is not the stored one, and takes the one that is', async () => {
    const { queues } = await bed.client.ok(AcdCommands.getConfiguration, {});
    const support = queues.find(({ queue }) => queue!.queue === 'support')!;
    const stale = await bed.client.send(AcdCommands.upsertQueue, { queue: { queue: 'support', offerTimeoutMs: 17_000 }, expectedVersion: 'not-the-version' });
    expect(kindOf(stale)).toBe('FAILED_PRECONDITION expected_version');
    const written = await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: 'support', offerTimeoutMs: 17_000 }, expectedVersion: support.version });
    expect(written.created).toBe(false);
    expect(written.version).not.toBe(support.version);
    const after = (await bed.client.ok(AcdCommands.getConfiguration, {})).queues.find(({ queue }) => queue!.queue === 'support')!;
    expect(after.version).toBe(written.version);
    expect(kindOf(await bed.client.send(AcdCommands.deleteNotReadyReason, { code: 'lunch', expectedVersion: support.version }))).toBe('FAILED_PRECONDITION expected_version');
    expect(kindOf(await bed.client.send(AcdCommands.upsertSkill, { skill: { name: 'cooking' }, expectedVersion: 'x' }))).toBe('FAILED_PRECONDITION expected_version');
    const reason = await bed.client.ok(AcdCommands.upsertNotReadyReason, { reason: { code: 'training', label: 'Training' } });
    expect(reason.created).toBe(true);
    await bed.client.ok(AcdCommands.deleteNotReadyReason, { code: 'training', expectedVersion: reason.version });
    expect(kindOf(await bed.client.send(AcdCommands.deleteNotReadyReason, { code: 'training' }))).toBe('NOT_FOUND code');
  });

  it('names the line and column of each problem of a bad document and changes nothing', async () => {
    const before = await exported();
    const broken = DOCUMENT.replace('offerTimeoutMs: 15000', 'offerTimeoutMs: 700000').replace('queues: [support]', 'queues: [support, nowhere]');
    const outcome = await bed.client.send(AcdCommands.importConfiguration, { yaml: broken, prune: true });
    expect(kindOf(outcome)).toBe('INVALID_ARGUMENT queues[0].offer_timeout_ms');
    expect(outcome.ok ? [] : outcome.error.problems.map(({ field, line, column }) => ({ field, line, column }))).toEqual([
      { field: 'queues[0].offerTimeoutMs', line: 7, column: 21 },
    ]);
    const unresolved = await bed.client.send(AcdCommands.importConfiguration, { yaml: DOCUMENT.replace('queues: [support]', 'queues: [support, nowhere]') });
    expect(unresolved.ok ? [] : unresolved.error.problems.map(({ field, line }) => ({ field, line }))).toEqual([{ field: 'agents[0].queues[1]', line: 15 }]);
    expect(await exported()).toBe(before);
  });
});
