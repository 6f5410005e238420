import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Written by scripts/provision.sh once the rootfs is complete. */
const COMPLETE_STAMP = '.lianluo-complete';

/**
 * Where scripts/provision.sh keeps the Asterisk root filesystem, outside the clone:
 * `$LIANLUO_CACHE_DIR/asterisk-rootfs`, by default `${XDG_CACHE_HOME:-~/.cache}/lianluo/asterisk-rootfs`.
 */
export function asteriskRootfsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheDir = env.LIANLUO_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lianluo');
  return join(cacheDir, 'asterisk-rootfs');
}

/** The rootfs folder, or an error saying how to build it. */
export function requireAsteriskRootfs(dir = asteriskRootfsDir()): string {
  if (!existsSync(join(dir, COMPLETE_STAMP))) {
    throw new Error(`no Asterisk root filesystem at ${dir}: run 'bash scripts/provision.sh' first`);
  }
  return dir;
}
