import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../infra/free-port';
import { AsteriskInstance } from './asterisk-instance';
import { asteriskRootfsDir, requireAsteriskRootfs } from './asterisk-rootfs-dir';
import { type AsteriskSiteConfig } from './asterisk-site-config';
import { defaultSites } from './default-sites';

export interface StartSitesOptions {
  /** Prefix of the instance folders (`<runId>-bj`, `<runId>-sz`); unique per run by default. */
  readonly runId?: string;
  /** The fixed `npm start` layout (defaultSites()) instead of free ports. */
  readonly fixedPorts?: boolean;
  /** Adjusts a site before it starts: agents with static contacts, another tenant… */
  readonly customise?: (site: AsteriskSiteConfig) => AsteriskSiteConfig;
  readonly rootfs?: string;
  readonly readyTimeoutMs?: number;
}

/** The two sites of a test or of the local stack. */
export interface Sites {
  readonly bj: AsteriskInstance;
  readonly sz: AsteriskInstance;
  /** Shuts both down. */
  stop(): Promise<void>;
  /** Kills both and deletes their folders. */
  remove(): Promise<void>;
}

/** RTP ports below this belong to `npm start` (10000–11999). */
const TEST_RTP_FLOOR = 12_000;
const RTP_PORTS_PER_SITE = 100;

/**
 * Starts sites `bj` and `sz` in parallel, joined by their inter-site trunk. Unless
 * `fixedPorts`, SIP and HTTP take ports the OS reports free and the RTP ranges sit in a
 * block picked by process id, below the ephemeral ports and above `npm start`'s, so tests
 * run beside each other and beside the local stack.
 */
export async function startSites(options: StartSitesOptions = {}): Promise<Sites> {
  const rootfs = requireAsteriskRootfs(options.rootfs ?? asteriskRootfsDir());
  const fixed = defaultSites();
  let { bj, sz } = fixed;
  if (!options.fixedPorts) {
    await removeAbandonedInstances(rootfs);
    const rtpStart = await testRtpBlockStart();
    const bjSip = await freePort(bj.address);
    const szSip = await freePort(sz.address);
    bj = {
      ...bj,
      sipPort: bjSip,
      httpPort: await freePort(bj.address, [bjSip]),
      rtpStart,
      rtpEnd: rtpStart + RTP_PORTS_PER_SITE - 1,
      peer: { ...bj.peer, sipPort: szSip },
    };
    sz = {
      ...sz,
      sipPort: szSip,
      httpPort: await freePort(sz.address, [szSip]),
      rtpStart: rtpStart + RTP_PORTS_PER_SITE,
      rtpEnd: rtpStart + 2 * RTP_PORTS_PER_SITE - 1,
      peer: { ...sz.peer, sipPort: bjSip },
    };
  }
  const runId = options.runId ?? `t${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const customise = options.customise ?? ((site: AsteriskSiteConfig) => site);
  const instance = (site: AsteriskSiteConfig) =>
    new AsteriskInstance({ instanceId: `${runId}-${site.name}`, site: customise(site), rootfs, readyTimeoutMs: options.readyTimeoutMs });
  const sites = { bj: instance(bj), sz: instance(sz) };
  const both = [sites.bj, sites.sz];
  const remove = async () => {
    await Promise.all(both.map((site) => site.remove()));
  };
  const started = await Promise.allSettled(both.map((site) => site.start()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await remove();
    throw failed.reason;
  }
  return {
    ...sites,
    stop: async () => {
      await Promise.all(both.map((site) => site.stop()));
    },
    remove,
  };
}

/**
 * The first port of a block of 2 × 100 RTP ports for this process: blocks between
 * npm start's ranges and the kernel's ephemeral ports, picked by pid so concurrent test
 * processes (Jest workers) rarely share one. Sharing is harmless: Asterisk skips busy ports.
 */
async function testRtpBlockStart(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const ephemeralFloor = Number(range.trim().split(/\s+/)[0]) || 32768;
  const blockSize = 2 * RTP_PORTS_PER_SITE;
  const blocks = Math.max(1, Math.floor((ephemeralFloor - TEST_RTP_FLOOR) / blockSize));
  return TEST_RTP_FLOOR + (process.pid % blocks) * blockSize;
}

/** Folders of test instances whose process is gone (killed before cleaning up). */
async function removeAbandonedInstances(rootfs: string): Promise<void> {
  const parent = join(rootfs, 'srv', 'lianluo');
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = /^t(\d+)-/.exec(name)?.[1];
    if (pid && !processExists(Number(pid))) await rm(join(parent, name), { recursive: true, force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
