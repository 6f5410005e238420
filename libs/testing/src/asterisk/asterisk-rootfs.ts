import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/provision.sh keeps the Asterisk root filesystem (outside the clone). */
export function asteriskRootfsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.LIANLUO_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lianluo');
  return join(cache, 'asterisk-rootfs');
}

export function assertAsteriskRootfs(dir = asteriskRootfsDir()): string {
  if (!existsSync(join(dir, '.lianluo-complete'))) {
    throw new Error(`no Asterisk root filesystem at ${dir}: run 'bash scripts/provision.sh' first`);
  }
  return dir;
}
