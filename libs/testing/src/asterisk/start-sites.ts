import { randomBytes } from 'node:crypto';
import { freePort } from '../infra/free-port';
import { AsteriskInstance } from './asterisk-instance';
import { type AsteriskSiteConfig, defaultSites } from './asterisk-site-config';

export interface Sites {
  readonly bj: AsteriskInstance;
  readonly sz: AsteriskInstance;
  /** Kills both and deletes their folders. */
  remove(): Promise<void>;
}

export interface StartSitesOptions {
  /** Folder name prefix inside the rootfs; unique per run by default. */
  readonly runId?: string;
  /** Use the fixed `npm start` ports instead of free ones. */
  readonly fixedPorts?: boolean;
  /** Adjust a site before start (agents with static contacts, another tenant…). */
  readonly customise?: (site: AsteriskSiteConfig) => AsteriskSiteConfig;
}

/** Starts the `bj` and `sz` sites together, joined by their inter-site trunk. */
export async function startSites(options: StartSitesOptions = {}): Promise<Sites> {
  const runId = options.runId ?? `test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let { bj, sz } = defaultSites();
  if (!options.fixedPorts) {
    const rtpBase = 20_000 + (randomBytes(2).readUInt16BE() % 200) * 200;
    bj = { ...bj, sipPort: await freePort(bj.address), httpPort: await freePort(bj.address), rtpStart: rtpBase, rtpEnd: rtpBase + 99 };
    sz = { ...sz, sipPort: await freePort(sz.address), httpPort: await freePort(sz.address), rtpStart: rtpBase + 100, rtpEnd: rtpBase + 199 };
    bj = { ...bj, peer: { ...bj.peer, sipPort: sz.sipPort } };
    sz = { ...sz, peer: { ...sz.peer, sipPort: bj.sipPort } };
  }
  const customise = options.customise ?? ((site) => site);
  const sites = {
    bj: new AsteriskInstance(`${runId}-bj`, customise(bj)),
    sz: new AsteriskInstance(`${runId}-sz`, customise(sz)),
  };
  const started = await Promise.allSettled([sites.bj.start(), sites.sz.start()]);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const remove = async () => {
    await Promise.all([sites.bj.remove(), sites.sz.remove()]);
  };
  if (failure) {
    await remove();
    throw failure.reason;
  }
  return { ...sites, remove };
}
