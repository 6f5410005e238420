/** A configuration item's version as a strong ETag. */
export function entityTag(version: string): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header expects, for acd's expected_version. Absent or `*`: none
 * (the write is unconditional). A weak tag never matches (If-Match compares strongly).
 */
export function expectedVersionOf(ifMatch: string | undefined): string | undefined {
  const value = ifMatch?.trim();
  if (value === undefined || value === '' || value === '*') return undefined;
  const tag = /^(W\/)?"([^"]*)"/.exec(value);
  if (!tag) return value;
  return tag[1] ? `weak:${tag[2]}` : tag[2];
}
