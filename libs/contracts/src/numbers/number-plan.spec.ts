import { numberOfPlanKey, numberPlanKey, validateDialledNumber } from './number-plan';

describe('the number plan', () => {
  it('keys a number so a key-value bucket takes it, and reads the number back', () => {
    for (const number of ['4008001234', '+8640080012', 'sales_line', '100']) {
      const key = numberPlanKey(number);
      expect(key).toMatch(/^[-/_=.a-zA-Z0-9]+$/);
      expect(numberOfPlanKey(key)).toBe(number);
    }
    expect(numberPlanKey('+861')).not.toBe(numberPlanKey('861'));
    expect(numberOfPlanKey('other.key')).toBeUndefined();
  });

  it('names what is wrong with a number or a tenant', () => {
    expect(validateDialledNumber({ number: '400 800', tenant: 'acme' })).toEqual([{ field: 'number', reason: expect.stringContaining('digits') }]);
    expect(validateDialledNumber({ number: '+8640080012', tenant: 'a.b' })).toEqual([{ field: 'tenant', reason: expect.stringContaining('tenant') }]);
    expect(validateDialledNumber({ number: '100', tenant: 'acme' })).toEqual([]);
  });
});
