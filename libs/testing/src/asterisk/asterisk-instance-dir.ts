/**
 * The folder of one Asterisk instance as seen inside the chroot. All it writes (config,
 * logs, spool, astdb, control socket) stays there, so instances can share one rootfs.
 */
export function asteriskInstanceDir(instanceId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(instanceId)) {
    throw new Error(`instanceId "${instanceId}" must be letters, digits, '.', '_' or '-' (it names a folder)`);
  }
  return `/srv/lianluo/${instanceId}`;
}
