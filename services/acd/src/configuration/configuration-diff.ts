import { createHash } from 'node:crypto';
import type { TenantConfiguration } from './tenant-configuration';

/** The kinds of a tenant's configuration, in the order an import writes them. */
export const CONFIGURATION_KINDS = ['skills', 'queues', 'agents', 'notReadyReasons', 'wrapUpCodes'] as const;
export type ConfigurationKind = (typeof CONFIGURATION_KINDS)[number];

/** The field naming an item of each kind. */
export const ID_FIELDS: Record<ConfigurationKind, string> = {
  skills: 'name',
  queues: 'queue',
  agents: 'agentId',
  notReadyReasons: 'code',
  wrapUpCodes: 'code',
};

export interface KindChanges {
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly unchanged: string[];
}

export type ConfigurationDiff = Record<ConfigurationKind, KindChanges>;

type Item = object;

/** JSON with every object's keys sorted and undefined values left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * An item's version (its ETag): a digest of its stored form, so it changes with every
 * change of content and an export imported again keeps it.
 */
export function versionOf(item: Item): string {
  return createHash('sha256').update(canonicalJson(item)).digest('base64url').slice(0, 22);
}

export function idOf(kind: ConfigurationKind, item: Item): string {
  return String((item as Record<string, unknown>)[ID_FIELDS[kind]]);
}

export function itemsOf(configuration: TenantConfiguration, kind: ConfigurationKind): readonly Item[] {
  return configuration[kind] ?? [];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What importing `document` over `stored` does to each kind: items it names are created,
 * updated or unchanged (by content); items only stored are deleted when pruning, else
 * left as they are (unchanged). Every list is sorted.
 */
export function diffConfiguration(stored: TenantConfiguration, document: TenantConfiguration, prune: boolean): ConfigurationDiff {
  const diff = {} as Record<ConfigurationKind, KindChanges>;
  for (const kind of CONFIGURATION_KINDS) {
    const before = new Map(itemsOf(stored, kind).map((item) => [idOf(kind, item), canonicalJson(item)]));
    const changes: KindChanges = { created: [], updated: [], deleted: [], unchanged: [] };
    const named = new Set<string>();
    for (const item of itemsOf(document, kind)) {
      const id = idOf(kind, item);
      named.add(id);
      const old = before.get(id);
      (old === undefined ? changes.created : old === canonicalJson(item) ? changes.unchanged : changes.updated).push(id);
    }
    for (const id of before.keys()) if (!named.has(id)) (prune ? changes.deleted : changes.unchanged).push(id);
    for (const list of Object.values(changes) as string[][]) list.sort(byText);
    diff[kind] = changes;
  }
  return diff;
}

/** The document's items that an import writes: those created or updated. */
export function changedItems(diff: ConfigurationDiff, document: TenantConfiguration, kind: ConfigurationKind): Item[] {
  const write = new Set([...diff[kind].created, ...diff[kind].updated]);
  return itemsOf(document, kind).filter((item) => write.has(idOf(kind, item)));
}

/** Object keys in a stable order for people: the item's id first, then the rest sorted, at every depth. */
function ordered(value: unknown, first?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort((a, b) => (a === first ? -1 : b === first ? 1 : a === 'kind' ? -1 : b === 'kind' ? 1 : byText(a, b)));
  return Object.fromEntries(keys.map((key) => [key, ordered((value as Record<string, unknown>)[key])]));
}

/**
 * A tenant's configuration as the document import_configuration takes: every kind, items
 * sorted by id, keys in a stable order. The same configuration gives the same document.
 */
export function exportDocument(configuration: TenantConfiguration): Record<ConfigurationKind, unknown[]> {
  const document = {} as Record<ConfigurationKind, unknown[]>;
  for (const kind of CONFIGURATION_KINDS) {
    document[kind] = [...itemsOf(configuration, kind)].sort((a, b) => byText(idOf(kind, a), idOf(kind, b))).map((item) => ordered(item, ID_FIELDS[kind]));
  }
  return document;
}
