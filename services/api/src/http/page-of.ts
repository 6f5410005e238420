/** A page of a list as routes answer it: `next` is the `after` of the next page, null on the last. */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

/**
 * The page of at most `limit` items out of the `limit + 1` a query was asked for: one more
 * than the page holds means another page follows, after the cursor of this one's last item.
 */
export function pageOf<T>(found: readonly T[], limit: number, cursorOf: (item: T) => string): Page<T> {
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return { items, next: found.length > limit && last !== undefined ? cursorOf(last) : null };
}
