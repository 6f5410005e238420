import { randomBytes } from 'node:crypto';
import { TAKE_URL_LIFETIME_MS, takeSignatureValid, takeUrl } from './take-url';

const key = randomBytes(32);
const T0 = Date.parse('2026-03-01T09:00:00Z');
const address = { tenant: 'demo', file: 'rec-1.wav', expires: (T0 + TAKE_URL_LIFETIME_MS) / 1_000 };

function signatureIn(url: string): string {
  return new URL(url).searchParams.get('signature') ?? '';
}

describe('take URLs', () => {
  it('name the take under MEDIA_BASE_URL, ending in .wav before the query, with their expiry and signature', () => {
    const url = new URL(takeUrl('http://voicemail:3004', address, key));
    expect([url.origin, url.pathname, url.searchParams.get('expires')]).toEqual(['http://voicemail:3004', '/takes/demo/rec-1.wav', String(address.expires)]);
    expect(url.searchParams.get('signature')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(takeUrl('http://proxy/vm/', address, key)).pathname).toBe('/vm/takes/demo/rec-1.wav');
  });

  it('are valid as made, until they expire', () => {
    const signature = signatureIn(takeUrl('http://vm', address, key));
    expect(takeSignatureValid(address, signature, key, T0)).toBe(true);
    expect(takeSignatureValid(address, signature, key, T0 + TAKE_URL_LIFETIME_MS - 1)).toBe(true);
    expect(takeSignatureValid(address, signature, key, T0 + TAKE_URL_LIFETIME_MS)).toBe(false);
  });

  it.each([
    ['another tenant', { tenant: 'acme' }],
    ['another take', { file: 'rec-2.wav' }],
    ['a later expiry', { expires: address.expires + 3_600 }],
  ])('are not valid for %s', (_, change) => {
    const signature = signatureIn(takeUrl('http://vm', address, key));
    expect(takeSignatureValid({ ...address, ...change }, signature, key, T0)).toBe(false);
  });

  it('are valid only with the key that signed them', () => {
    expect(takeSignatureValid(address, signatureIn(takeUrl('http://vm', address, randomBytes(32))), key, T0)).toBe(false);
    expect(takeSignatureValid(address, 'short', key, T0)).toBe(false);
  });
});
