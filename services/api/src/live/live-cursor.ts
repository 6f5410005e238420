/**
 * Where a client is in each domain's stream: the JetStream stream sequence of the last event
 * it received, per domain. On the wire: `acd:1234` for one domain, `acd:1234,call:99` for
 * several; every pushed event carries its own `<domain>:<sequence>`.
 */
export type LiveCursor = ReadonlyMap<string, number>;

const PART = /^([a-z][a-z0-9_-]{0,31}):(0|[1-9][0-9]{0,15})$/;

/** The cursor a client sent, or undefined when it is not one (a part is malformed or a domain repeats). */
export function parseLiveCursor(text: string): LiveCursor | undefined {
  const cursor = new Map<string, number>();
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (!match || cursor.has(match[1]!)) return undefined;
    const sequence = Number(match[2]);
    if (!Number.isSafeInteger(sequence)) return undefined;
    cursor.set(match[1]!, sequence);
  }
  return cursor;
}

export function formatLiveCursor(cursor: LiveCursor): string {
  return [...cursor].map(([domain, sequence]) => `${domain}:${sequence}`).join(',');
}
