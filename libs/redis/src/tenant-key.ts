function assertNoBraces(value: string, argument: string): void {
  if (value === '' || value.includes('{') || value.includes('}')) {
    throw new RangeError(`${argument} must be non-empty and free of braces (got "${value}")`);
  }
}

/**
 * `<prefix>:{<tenant>}:<part>:<part>...`: every key of one tenant carries the same hash
 * tag, so one tenant's keys live in one Redis Cluster slot and a Lua script may touch
 * any of them at once.
 */
export function tenantKey(prefix: string, tenant: string, ...parts: string[]): string {
  assertNoBraces(prefix, 'prefix');
  assertNoBraces(tenant, 'tenant');
  return [`${prefix}:{${tenant}}`, ...parts].join(':');
}
