import { type AsteriskSiteConfig } from './asterisk-site-config';

/** The sites of the local stack; tests start them on other ports (see startSites). */
export interface SitePair {
  readonly bj: AsteriskSiteConfig;
  readonly sz: AsteriskSiteConfig;
}

/**
 * The fixed layout of `npm start`: each site on its own loopback address with the
 * standard ports, RTP ranges apart so both can run at once.
 */
export function defaultSites(): SitePair {
  const common = {
    sipPort: 5060,
    httpPort: 8088,
    ariUser: 'lianluo',
    ariPassword: 'lianluo-local',
    stasisApp: 'lianluo',
    tenant: 'demo',
    trunkMatch: '127.0.0.0/24',
  };
  return {
    bj: {
      ...common,
      name: 'bj',
      address: '127.0.1.1',
      rtpStart: 10000,
      rtpEnd: 10999,
      peer: { name: 'sz', address: '127.0.2.1', sipPort: 5060 },
      agents: [
        { extension: '1001', password: 'agent-1001' },
        { extension: '1002', password: 'agent-1002' },
      ],
    },
    sz: {
      ...common,
      name: 'sz',
      address: '127.0.2.1',
      rtpStart: 11000,
      rtpEnd: 11999,
      peer: { name: 'bj', address: '127.0.1.1', sipPort: 5060 },
      agents: [
        { extension: '2001', password: 'agent-2001' },
        { extension: '2002', password: 'agent-2002' },
      ],
    },
  };
}
