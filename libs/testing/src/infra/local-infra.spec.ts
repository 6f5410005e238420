import { homedir } from 'node:os';
import { join } from 'node:path';
import { asteriskRootfsDir } from '../asterisk/asterisk-rootfs-dir';
import { ensureLocalInfra } from './ensure-local-infra';
import { uniqueNamespace } from './unique-namespace';

describe('uniqueNamespace', () => {
  it('gives a token fit for NATS subjects, stream names and SQL identifiers, different each time', () => {
    const names = Array.from({ length: 100 }, () => uniqueNamespace('mg'));
    for (const name of names) expect(name).toMatch(/^mg[a-z0-9]{10}$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a prefix that would not be such a token', () => {
    expect(() => uniqueNamespace('a.b')).toThrow('prefix');
  });
});

describe('asteriskRootfsDir', () => {
  it('keeps the rootfs in the cache folder of the user, outside the clone', () => {
    expect(asteriskRootfsDir({ LIANLUO_CACHE_DIR: '/c' })).toBe('/c/asterisk-rootfs');
    expect(asteriskRootfsDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/lianluo/asterisk-rootfs');
    expect(asteriskRootfsDir({ LIANLUO_CACHE_DIR: '' })).toBe(join(homedir(), '.cache', 'lianluo', 'asterisk-rootfs'));
  });
});

describe('ensureLocalInfra', () => {
  it('finds NATS with JetStream, Redis and PostgreSQL running once the machine is provisioned', async () => {
    await expect(ensureLocalInfra()).resolves.toBeUndefined();
  });
});
