import { formatLiveCursor, parseLiveCursor } from './live-cursor';

describe('a live cursor', () => {
  it('reads a sequence per domain and writes it back the same', () => {
    const cursor = parseLiveCursor('acd:1234,call:0');
    expect(cursor && [...cursor]).toEqual([
      ['acd', 1234],
      ['call', 0],
    ]);
    expect(formatLiveCursor(cursor!)).toBe('acd:1234,call:0');
  });

  it('refuses malformed parts, repeated domains and sequences beyond a safe integer', () => {
    for (const text of ['', 'acd', 'acd:', 'acd:-1', 'acd:01', 'ACD:1', 'acd:1,acd:2', 'acd:1,', 'acd:99999999999999999', 'acd:1;call:2']) {
      expect(parseLiveCursor(text)).toBeUndefined();
    }
  });
});
