import fc from 'fast-check';
import { rangeOf } from './byte-range';

describe('Range header of an audio request', () => {
  it('serves the whole body without a Range, or with one it may ignore', () => {
    for (const header of [undefined, 'bytes=-', 'items=0-10', 'bytes=0-1,4-5', 'bytes=abc', 'bytes=9-3']) {
      expect(rangeOf(header, 1_000)).toEqual({ kind: 'whole' });
    }
  });

  it('serves a closed, an open and a suffix range, clamped to the size', () => {
    expect(rangeOf('bytes=0-99', 1_000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(rangeOf('bytes=900-', 1_000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(rangeOf('bytes=-100', 1_000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(rangeOf('bytes=990-5000', 1_000)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(rangeOf('bytes=-5000', 1_000)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('refuses a range that starts past the end, and an empty suffix', () => {
    expect(rangeOf('bytes=1000-', 1_000)).toEqual({ kind: 'unsatisfiable' });
    expect(rangeOf('bytes=-0', 1_000)).toEqual({ kind: 'unsatisfiable' });
    expect(rangeOf('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('always answers a partial range that lies inside the body and is not empty', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.option(fc.nat(20_000)), fc.option(fc.nat(20_000)), (size, first, last) => {
        const range = rangeOf(`bytes=${first ?? ''}-${last ?? ''}`, size);
        if (range.kind !== 'partial') return;
        expect(range.start).toBeGreaterThanOrEqual(0);
        expect(range.start).toBeLessThanOrEqual(range.end);
        expect(range.end).toBeLessThan(size);
      }),
    );
  });
});
