/** One site's Asterisk as the local stack and the tests run it. */
export interface AsteriskSiteConfig {
  /** Site token: `bj`, `sz`. */
  readonly name: 'bj' | 'sz' | (string & {});
  /** Loopback address the site binds SIP, RTP and HTTP to: sites are told apart by address. */
  readonly address: string;
  /** SIP port, UDP and TCP. */
  readonly sipPort: number;
  /** HTTP port of ARI. */
  readonly httpPort: number;
  /** First RTP port (even); ranges of sites on one machine must not overlap. */
  readonly rtpStart: number;
  /** Last RTP port. */
  readonly rtpEnd: number;
  readonly ariUser: string;
  readonly ariPassword: string;
  /** The Stasis application every call is handed to. */
  readonly stasisApp: string;
  /** Tenant of calls arriving at this site (`LIANLUO_TENANT` channel variable). */
  readonly tenant: string;
  /**
   * Source addresses taken as the PSTN trunk (CIDR). Endpoints are identified by source
   * address first, so a phone must not register from inside this range.
   */
  readonly trunkMatch: string;
  /**
   * Where calls to PSTN numbers (`PJSIP/<number>@trunk`) go, e.g. a SIPp UAS at
   * `sip:127.0.0.1:5090`; without it the trunk takes calls in only.
   */
  readonly trunkContact?: string;
  /** The other site, reached over the inter-site trunk endpoint `site-<peer.name>`. */
  readonly peer: PeerSite;
  /** Agent phones of this site. */
  readonly agents: readonly AgentPhone[];
}

/** The far end of the inter-site trunk. */
export interface PeerSite {
  readonly name: string;
  readonly address: string;
  readonly sipPort: number;
}

/** An agent's SIP phone: registers with its extension and password, or sits at a static contact. */
export interface AgentPhone {
  readonly extension: string;
  readonly password: string;
  /** A fixed contact such as `sip:1001@127.0.3.1:5072` (a SIPp UAS) used without registering. */
  readonly staticContact?: string;
}
