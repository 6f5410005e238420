import { ErrorKind } from '@lianluo/contracts';
import { dialFailure, originateFailure } from './dial-failure';

const dial = { destination: 'PJSIP/4008001234@trunk', timeoutMs: 20_000 };

describe('dialFailure', () => {
  it('calls a dial that rang out its ring time a timeout, whatever cause Asterisk gave it', () => {
    expect(dialFailure(dial, 16, 20_000)).toMatchObject({ kind: ErrorKind.TIMEOUT });
    expect(dialFailure(dial, 0, 19_600)).toMatchObject({ kind: ErrorKind.TIMEOUT });
  });

  it('calls no answer and no user responding a timeout even before the ring time is over', () => {
    expect(dialFailure(dial, 19, 3_000)).toMatchObject({ kind: ErrorKind.TIMEOUT, message: 'PJSIP/4008001234@trunk did not answer within 20000 ms' });
    expect(dialFailure(dial, 18, 3_000)).toMatchObject({ kind: ErrorKind.TIMEOUT });
  });

  it('reports busy, refused, congested and unknown numbers as the called side refusing (FAILED_PRECONDITION)', () => {
    for (const cause of [17, 21, 34, 42, 1, 22, 28]) {
      expect(dialFailure(dial, cause, 1_000)).toMatchObject({ kind: ErrorKind.FAILED_PRECONDITION });
    }
    expect(dialFailure(dial, 17, 1_000).message).toBe('PJSIP/4008001234@trunk refused the call: User busy (17)');
  });

  it('reports any other early end as the destination being unreachable, naming the cause', () => {
    expect(dialFailure(dial, 27, 1_000)).toMatchObject({ kind: ErrorKind.UNAVAILABLE, message: 'PJSIP/4008001234@trunk could not be reached: Destination out of order (27)' });
    expect(dialFailure(dial, 16, 1_000)).toMatchObject({ kind: ErrorKind.UNAVAILABLE });
    expect(dialFailure(dial, 99, 1_000).message).toContain('Cause 99 (99)');
  });
});

describe('originateFailure', () => {
  it('takes a phone Asterisk cannot dial at all (not registered) as unreachable, not as the gateway failing', () => {
    expect(originateFailure(new Error('{"message":"Allocation failed"}'), 'PJSIP/2001', 'c-1')).toMatchObject({ kind: ErrorKind.FAILED_PRECONDITION });
    expect(originateFailure(new Error('connect ECONNREFUSED 127.0.0.1:8088'), 'PJSIP/2001', 'c-1')).toMatchObject({ kind: ErrorKind.UNAVAILABLE });
  });
});
