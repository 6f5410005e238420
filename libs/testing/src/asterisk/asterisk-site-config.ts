/** One site's Asterisk as the local stack and the tests run it. */
export interface AsteriskSiteConfig {
  /** Site token: `bj`, `sz`. */
  readonly name: string;
  /** Loopback address the site binds SIP and HTTP to; sites are told apart by address. */
  readonly address: string;
  readonly sipPort: number;
  readonly httpPort: number;
  readonly rtpStart: number;
  readonly rtpEnd: number;
  readonly ariUser: string;
  readonly ariPassword: string;
  readonly stasisApp: string;
  /** Tenant of calls arriving on the PSTN trunk. */
  readonly tenant: string;
  /** Source addresses taken as the PSTN trunk (CIDR). */
  readonly trunkMatch: string;
  /** The other site, reached over the inter-site trunk `site-<name>`. */
  readonly peer: { readonly name: string; readonly address: string; readonly sipPort: number };
  readonly agents: readonly AgentPhone[];
}

export interface AgentPhone {
  readonly extension: string;
  readonly password: string;
  /** A fixed contact (e.g. a SIPp UAS) used when the phone does not register. */
  readonly staticContact?: string;
}

export const BJ_ADDRESS = '127.0.1.1';
export const SZ_ADDRESS = '127.0.2.1';

/** The fixed layout `npm start` uses; tests use free ports instead (see startSites). */
export function defaultSites(): { bj: AsteriskSiteConfig; sz: AsteriskSiteConfig } {
  const common = { ariUser: 'lianluo', ariPassword: 'lianluo-local', stasisApp: 'lianluo', tenant: 'demo', trunkMatch: '127.0.0.0/24' };
  return {
    bj: {
      ...common,
      name: 'bj',
      address: BJ_ADDRESS,
      sipPort: 5060,
      httpPort: 8088,
      rtpStart: 10000,
      rtpEnd: 10999,
      peer: { name: 'sz', address: SZ_ADDRESS, sipPort: 5060 },
      agents: [
        { extension: '1001', password: 'agent-1001' },
        { extension: '1002', password: 'agent-1002' },
      ],
    },
    sz: {
      ...common,
      name: 'sz',
      address: SZ_ADDRESS,
      sipPort: 5060,
      httpPort: 8088,
      rtpStart: 11000,
      rtpEnd: 11999,
      peer: { name: 'bj', address: BJ_ADDRESS, sipPort: 5060 },
      agents: [
        { extension: '2001', password: 'agent-2001' },
        { extension: '2002', password: 'agent-2002' },
      ],
    },
  };
}
