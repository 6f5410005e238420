const SECRET_MARKERS = ['PASSWORD', 'SECRET', 'TOKEN', 'KEY'];

/**
 * Whether the value of an environment variable must never appear in messages or logs.
 * Deliberately broad: `REDIS_KEY_PREFIX` is hidden too, which costs a little help in an
 * error message and never leaks a credential.
 */
export function isSecretVariable(variable: string): boolean {
  const upper = variable.toUpperCase();
  return SECRET_MARKERS.some((marker) => upper.includes(marker));
}
