import { tenantKey } from './tenant-key';

describe('tenantKey', () => {
  it('puts the tenant in a hash tag right after the prefix', () => {
    expect(tenantKey('lianluo', 'acme', 'queue', 'sales', 'waiting')).toBe('lianluo:{acme}:queue:sales:waiting');
  });

  it('accepts a prefix of several segments and no parts', () => {
    expect(tenantKey('test:run-42', 'acme')).toBe('test:run-42:{acme}');
  });

  it('refuses a tenant or prefix that would move or break the hash tag', () => {
    expect(() => tenantKey('lianluo', 'ac}me', 'agents')).toThrow('tenant must be non-empty and free of braces (got "ac}me")');
    expect(() => tenantKey('lianluo', '', 'agents')).toThrow(RangeError);
    expect(() => tenantKey('lian{luo}', 'acme')).toThrow('prefix must be non-empty and free of braces');
  });
});
