/** One audited change, as the audit log keeps and serves it. */
export interface AuditEntry {
  readonly tenant: string | undefined;
  readonly actor: string;
  readonly actorRoles: readonly string[];
  /** The route's action: `POST /v1/tenants/{tenant}/users`. */
  readonly action: string;
  /** The path parameters: which thing was changed. */
  readonly target: Record<string, string>;
  /** The request body, secrets masked. */
  readonly request: unknown;
  readonly before: unknown;
  readonly after: unknown;
  readonly status: number;
  readonly traceId: string | undefined;
}

const SECRET_FIELD = /password|secret|token/i;

/** A request body as the audit log may keep it: every password, secret or token masked, at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, SECRET_FIELD.test(key) ? '***' : maskSecrets(field)]));
}
