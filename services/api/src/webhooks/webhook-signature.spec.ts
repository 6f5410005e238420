import { Webhook } from 'standardwebhooks';
import { newWebhookSecret } from './webhook-secret';
import { signatureHeaders } from './webhook-signature';

describe('webhook signatures (Standard Webhooks)', () => {
  const body = '{"specversion":"1.0","id":"e-1"}';

  it('are verified by the Standard Webhooks library with the secret, and by nothing else', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders('d-1', body, [secret], new Date());
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('e-1', 'e-2'), { ...headers })).toThrow();
  });

  it('sign the id and the timestamp too, so neither can be replayed under another', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders('d-1', body, [secret], new Date());
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'd-2' })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) })).toThrow();
  });

  it('carry a signature by each secret while a rotated-out one is honoured', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signatureHeaders('d-1', body, [current, previous], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
  });
});
