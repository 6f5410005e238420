import { type KV, StorageType } from 'nats';
import { type MessagingConnection } from './messaging-connection';
import { streamNameOf } from './subjects';

/** The key-value bucket `name` of a namespace: `LIANLUO_LIVE_CALLS`, kept in stream `KV_LIANLUO_LIVE_CALLS`. */
export function bucketNameOf(namespace: string, name: string): string {
  return streamNameOf(namespace, name);
}

/**
 * Records a service keeps outside its process, one per key, in a JetStream key-value bucket
 * of the namespace (file storage, one revision per key). `remove` purges the key's subject
 * instead of writing a delete marker, so a bucket whose keys come and go (one per call)
 * holds only the live ones and does not grow.
 */
export class RecordBucket {
  private constructor(
    private readonly connection: MessagingConnection,
    private readonly kv: KV,
    readonly name: string,
  ) {}

  /** Opens the bucket, creating it when it is not there; safe from every replica at every start. */
  static async open(connection: MessagingConnection, name: string): Promise<RecordBucket> {
    const bucket = bucketNameOf(connection.namespace, name);
    const kv = await connection.js.views.kv(bucket, { history: 1, storage: StorageType.File });
    return new RecordBucket(connection, kv, bucket);
  }

  /** Keys are tokens of a NATS subject joined by dots: `bj.1732345678.42`. */
  async put(key: string, record: Uint8Array): Promise<void> {
    await this.kv.put(key, record);
  }

  /** Removes the key and every trace of it; nothing when it is not there. */
  async remove(key: string): Promise<void> {
    await this.connection.jsm.streams.purge(`KV_${this.name}`, { filter: `$KV.${this.name}.${key}` });
  }

  /**
   * Follows the records whose keys match `keys` (`n.>`): `change` gets each one there now,
   * then each put (a record) and removal (undefined) as it happens. Resolves once the records
   * there now were given; `stop` ends the watch.
   */
  async watch(keys: string, change: (key: string, record: Uint8Array | undefined) => void): Promise<{ stop(): void }> {
    let initialised!: () => void;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    const watcher = await this.kv.watch({ key: keys, initializedFn: () => initialised() });
    void (async () => {
      for await (const entry of watcher) change(entry.key, entry.operation === 'PUT' ? entry.value : undefined);
    })();
    await ready;
    return { stop: () => watcher.stop() };
  }

  /** Removes the key so that watchers see it go (the bucket keeps a marker of the removal). */
  async delete(key: string): Promise<void> {
    await this.kv.purge(key);
  }

  /** Every record whose key starts with `prefix.`. */
  async entries(prefix: string): Promise<{ key: string; record: Uint8Array }[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys(`${prefix}.>`)) keys.push(key);
    const entries = await Promise.all(keys.map(async (key) => ({ key, entry: await this.kv.get(key) })));
    // A key removed between the listing and the read has no entry (or an empty one) left.
    return entries.flatMap(({ key, entry }) => (entry && entry.operation === 'PUT' ? [{ key, record: entry.value }] : []));
  }
}

/**
 * Deletes every stream of a namespace, its key-value buckets' included: what a test run
 * leaves on the server when it is done.
 */
export async function deleteNamespaceStreams(connection: Pick<MessagingConnection, 'jsm' | 'namespace'>): Promise<void> {
  const prefix = `${streamNameOf(connection.namespace, '')}`;
  const names: string[] = [];
  for await (const stream of connection.jsm.streams.list()) {
    const name = stream.config.name;
    if (name.startsWith(prefix) || name.startsWith(`KV_${prefix}`)) names.push(name);
  }
  await Promise.all(names.map((name) => connection.jsm.streams.delete(name).catch(() => false)));
}
