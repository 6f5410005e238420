import { entityTag, expectedVersionOf } from './entity-tag';

describe('entity tags', () => {
  it('reads the version of a strong tag, and makes none of * or an absent header', () => {
    expect(expectedVersionOf(entityTag('abc'))).toBe('abc');
    expect(expectedVersionOf(' "abc" ')).toBe('abc');
    expect(expectedVersionOf('*')).toBeUndefined();
    expect(expectedVersionOf(undefined)).toBeUndefined();
  });

  it('makes a weak tag a version no item has', () => {
    expect(expectedVersionOf('W/"abc"')).not.toBe('abc');
  });
});
