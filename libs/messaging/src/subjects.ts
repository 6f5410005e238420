// The one place subjects and stream names are spelled. Every subject has five tokens:
//   <namespace>.<tenant>.<domain>.<kind>.<name>   e.g. lianluo.acme.call.event.answered
// The namespace is `lianluo` in production; each test run uses its own.

export type MessageKind = 'event' | 'command';

export const DEAD_LETTER_DOMAIN = 'deadletter';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export interface SubjectParts {
  readonly namespace: string;
  readonly tenant: string;
  readonly domain: string;
  readonly kind: string;
  readonly name: string;
}

function token(what: string, value: string): string {
  if (!TOKEN.test(value)) throw new Error(`${what} "${value}" is not a valid subject token (letters, digits, _ and - only)`);
  return value;
}

export function subjectOf(namespace: string, tenant: string, domain: string, kind: MessageKind, name: string): string {
  return [token('namespace', namespace), token('tenant', tenant), token('domain', domain), kind, token('name', name)].join('.');
}

/** Subject filter for all tenants: one event name, or every event of the domain when name is omitted. */
export function eventFilterOf(namespace: string, domain: string, name?: string): string {
  return `${namespace}.*.${domain}.event.${name ?? '*'}`;
}

export function commandFilterOf(namespace: string, domain: string, name: string): string {
  return `${namespace}.*.${domain}.command.${name}`;
}

/** One stream per domain: `LIANLUO_CALL`. */
export function streamNameOf(namespace: string, domain: string): string {
  return `${namespace}_${domain}`.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
}

export function deadLetterSubjectOf(namespace: string, tenant: string, consumer: string): string {
  return subjectOf(namespace, TOKEN.test(tenant) ? tenant : '_', DEAD_LETTER_DOMAIN, 'event', consumer);
}

export function parseSubject(subject: string): SubjectParts | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5) return undefined;
  const [namespace, tenant, domain, kind, name] = parts as [string, string, string, string, string];
  return { namespace, tenant, domain, kind, name };
}
