import { isIP } from 'node:net';
import { type WebhookAddressPolicy } from './webhook-address-policy';

/** What a subscription's URL must be, and how its host's addresses are found. */
export interface WebhookUrlRules {
  readonly allowHttp: boolean;
  readonly policy: WebhookAddressPolicy;
  /** The addresses a host name resolves to (none when it does not). */
  readonly resolve: (host: string) => Promise<readonly string[]>;
}

/** The host of a URL as an address or name, without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why `text` may not receive webhooks, or undefined when it may: https (http only when
 * allowed), no credentials, and a host whose every address the policy allows. The sender
 * checks the addresses again on every attempt, where the connection is made, so a name
 * that resolves elsewhere later (DNS rebinding) gains nothing.
 */
export async function webhookUrlProblem(text: string, rules: WebhookUrlRules): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) return rules.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials: receivers verify the signature instead';
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : await rules.resolve(host).catch(() => []);
  if (addresses.length === 0) return 'must name a host that resolves';
  if (!addresses.every((address) => rules.policy.allows(address))) return 'must not point at a loopback, private, link-local or metadata address';
  return undefined;
}
