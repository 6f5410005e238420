import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type WebhookAddressPolicy } from './webhook-address-policy';
import { hostOf } from './webhook-url';

/** Why an attempt failed, as the delivery log and the metrics name it; never a receiver's or the runtime's own words. */
export const FAILURE_REASONS = ['http_status', 'timeout', 'connection_failed', 'dns_failed', 'tls_failed', 'url_refused'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type SendOutcome = { readonly ok: true; readonly statusCode: number } | { readonly ok: false; readonly reason: FailureReason; readonly statusCode?: number };

export interface SendRules {
  readonly allowHttp: boolean;
  readonly policy: WebhookAddressPolicy;
  readonly timeoutMs: number;
}

/** What the sender reads of a response before it lets go: enough to finish the exchange, not to be flooded. */
const MAX_RESPONSE_BYTES = 64 * 1024;

class UrlRefused extends Error {}
class AttemptTimedOut extends Error {}

/** Resolves like the system resolver, then keeps only the addresses the policy allows: the connection goes to nothing else. */
function guardedLookup(policy: WebhookAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter((entry) => policy.allows(entry.address));
      if (allowed.length === 0) return callback(new UrlRefused(), '', 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

function reasonOf(error: unknown): FailureReason {
  if (error instanceof UrlRefused) return 'url_refused';
  if (error instanceof AttemptTimedOut) return 'timeout';
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_failed';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code)) return 'tls_failed';
  return 'connection_failed';
}

/**
 * POSTs one attempt: no redirects followed, no address the policy refuses connected to
 * (checked where the connection is made), the whole exchange bounded by `timeoutMs`. A 2xx
 * answer is a delivery; anything else is a failure with a reason.
 */
export function sendWebhook(target: string, headers: Record<string, string>, body: string, rules: SendRules): Promise<SendOutcome> {
  const url = new URL(target);
  const https = url.protocol === 'https:';
  if ((!https && !(rules.allowHttp && url.protocol === 'http:')) || (isIP(hostOf(url)) && !rules.policy.allows(hostOf(url)))) {
    return Promise.resolve({ ok: false, reason: 'url_refused' });
  }
  return new Promise<SendOutcome>((resolve) => {
    const payload = Buffer.from(body);
    let request: ClientRequest | undefined = undefined;
    const timer = setTimeout(() => request?.destroy(new AttemptTimedOut()), rules.timeoutMs);
    const finish = (outcome: SendOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    // Once a status line has come, the attempt's outcome is known, however its body ends.
    let answered: SendOutcome | undefined;
    const onResponse = (response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      answered = statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, reason: 'http_status', statusCode };
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on('close', () => finish(answered!));
    };
    request = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        lookup: guardedLookup(rules.policy),
        agent: false,
      },
      onResponse,
    );
    request.on('error', (error) => finish(answered ?? { ok: false, reason: reasonOf(error) }));
    request.end(payload);
  });
}
