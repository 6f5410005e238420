/** What a request's Range header asks of a representation of `sizeBytes` bytes (RFC 9110 §14). */
export type RangeRequest =
  /** No Range, one we do not serve (another unit, several ranges, bad syntax): the whole body, 200. */
  | { readonly kind: 'whole' }
  /** One satisfiable range, `start` and `end` inclusive: 206 with Content-Range. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** A range that lies past the end: 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a Range header. One `bytes` range is served (`a-b`, `a-`, `-suffix`), clamped to
 * the representation; anything the RFC lets a server ignore (several ranges, other units,
 * malformed values) gets the whole body, which every client copes with.
 */
export function rangeOf(header: string | undefined, sizeBytes: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = SINGLE_RANGE.exec(header.trim().replace(/\s+/g, ''));
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || sizeBytes === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= sizeBytes) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1) };
}
