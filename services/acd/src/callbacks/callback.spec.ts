import { callbackCallId, callbackContactId, callbackOfContactId, isCallbackCallId } from './callback';

describe('callback ids', () => {
  it('names each attempt a contact of its own, and finds the callback and attempt again', () => {
    expect(callbackContactId('ivr-bj-1.1', 2)).toBe('ivr-bj-1.1@2');
    expect(callbackOfContactId('ivr-bj-1.1@2')).toEqual({ callbackId: 'ivr-bj-1.1', attempt: 2 });
    expect(callbackOfContactId('me@example.com@3')).toEqual({ callbackId: 'me@example.com', attempt: 3 });
  });

  it('takes no other contact for a callback', () => {
    for (const contactId of ['call-1', '@1', 'cb@', 'cb@0', 'cb@x', 'me@example.com']) expect(callbackOfContactId(contactId)).toBeUndefined();
  });

  it('gives an attempt the same call id every time, different per tenant, callback and attempt', () => {
    const id = callbackCallId('acme', 'web-1', 1);
    expect(id).toMatch(/^cb-[0-9a-f]{24}-1$/);
    expect(callbackCallId('acme', 'web-1', 1)).toBe(id);
    expect(new Set([id, callbackCallId('other', 'web-1', 1), callbackCallId('acme', 'web-2', 1), callbackCallId('acme', 'web-1', 2)]).size).toBe(4);
    expect(isCallbackCallId(id)).toBe(true);
    expect(isCallbackCallId('1700000000.42')).toBe(false);
  });
});
