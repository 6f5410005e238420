import { canonicalJson, diffConfiguration, exportDocument, versionOf } from './configuration-diff';
import type { TenantConfiguration } from './tenant-configuration';

const stored: TenantConfiguration = {
  skills: [{ name: 'network', description: 'Routers' }, { name: 'billing', description: '' }],
  queues: [{ queue: 'support', offerTimeoutMs: 15_000 }],
  agents: [{ agentId: 'lin', site: 'sz', capacity: { voice: 1 }, queues: ['support'] }],
  notReadyReasons: [{ code: 'lunch', label: 'Lunch' }],
  wrapUpCodes: [],
};

describe('configuration diff', () => {
  it('says unchanged for every item of a document equal to what is stored, whatever the order of keys and items', () => {
    const same: TenantConfiguration = {
      skills: [{ description: '', name: 'billing' }, { description: 'Routers', name: 'network' }],
      queues: [{ offerTimeoutMs: 15_000, queue: 'support' }],
      agents: [{ queues: ['support'], capacity: { voice: 1 }, site: 'sz', agentId: 'lin' }],
      notReadyReasons: [{ label: 'Lunch', code: 'lunch' }],
      wrapUpCodes: [],
    };
    expect(diffConfiguration(stored, same, true)).toEqual({
      skills: { created: [], updated: [], deleted: [], unchanged: ['billing', 'network'] },
      queues: { created: [], updated: [], deleted: [], unchanged: ['support'] },
      agents: { created: [], updated: [], deleted: [], unchanged: ['lin'] },
      notReadyReasons: { created: [], updated: [], deleted: [], unchanged: ['lunch'] },
      wrapUpCodes: { created: [], updated: [], deleted: [], unchanged: [] },
    });
  });

  it('names what a document creates and updates, and what it leaves out as deleted only when pruning', () => {
    const document: TenantConfiguration = {
      skills: [{ name: 'network', description: 'Routers and fibre' }],
      queues: [{ queue: 'support', offerTimeoutMs: 15_000 }, { queue: 'sales' }],
      agents: [],
      wrapUpCodes: [{ code: 'sold', label: 'Sold' }],
    };
    const pruned = diffConfiguration(stored, document, true);
    expect(pruned.skills).toEqual({ created: [], updated: ['network'], deleted: ['billing'], unchanged: [] });
    expect(pruned.queues).toEqual({ created: ['sales'], updated: [], deleted: [], unchanged: ['support'] });
    expect(pruned.agents).toEqual({ created: [], updated: [], deleted: ['lin'], unchanged: [] });
    expect(pruned.notReadyReasons).toEqual({ created: [], updated: [], deleted: ['lunch'], unchanged: [] });
    expect(pruned.wrapUpCodes).toEqual({ created: ['sold'], updated: [], deleted: [], unchanged: [] });
    const kept = diffConfiguration(stored, document, false);
    expect(kept.skills).toEqual({ created: [], updated: ['network'], deleted: [], unchanged: ['billing'] });
    expect(kept.agents).toEqual({ created: [], updated: [], deleted: [], unchanged: ['lin'] });
  });

  it('gives an item the same version whatever the order of its keys, and another one when its content changes', () => {
    expect(versionOf({ a: 1, b: { c: [1, 2], d: undefined } })).toBe(versionOf({ b: { c: [1, 2] }, a: 1 }));
    expect(versionOf({ a: 1, b: { c: [1, 2] } })).not.toBe(versionOf({ a: 1, b: { c: [2, 1] } }));
    expect(canonicalJson({ z: 1, a: [{ y: 2, b: 3 }] })).toBe('{"a":[{"b":3,"y":2}],"z":1}');
  });

  it('exports every kind sorted by id with the id first, the same text for the same configuration', () => {
    const document = exportDocument(stored);
    expect(document.skills.map((skill) => Object.keys(skill as object)[0])).toEqual(['name', 'name']);
    expect(document.skills).toEqual([{ name: 'billing', description: '' }, { name: 'network', description: 'Routers' }]);
    expect(Object.keys(document.agents[0] as object)).toEqual(['agentId', 'capacity', 'queues', 'site']);
    expect(JSON.stringify(exportDocument({ ...stored, skills: [...stored.skills].reverse() }))).toBe(JSON.stringify(document));
  });
});
