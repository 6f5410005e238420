import { reconnectDelayMs } from './reconnect-delay-ms';

describe('reconnectDelayMs', () => {
  const noJitter = () => 0.5;

  it('doubles from 100 ms and stops growing at 3 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => reconnectDelayMs(attempt, noJitter))).toEqual([
      100, 200, 400, 800, 1600, 3000, 3000, 3000,
    ]);
  });

  it('spreads attempts by at most 20 % either way', () => {
    expect(reconnectDelayMs(6, () => 0)).toBe(2400);
    expect(reconnectDelayMs(6, () => 0.999999)).toBe(3600);
  });
});
