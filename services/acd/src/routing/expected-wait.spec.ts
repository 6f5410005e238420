import { expectedWaitMs } from './expected-wait';

describe('expectedWaitMs', () => {
  it('multiplies the position by the pace of offers', () => {
    expect(expectedWaitMs(3, 20_000)).toBe(60_000);
  });

  it('says nothing before the queue has a pace, or for a contact no longer waiting', () => {
    expect(expectedWaitMs(3, undefined)).toBeUndefined();
    expect(expectedWaitMs(0, 20_000)).toBeUndefined();
  });
});
