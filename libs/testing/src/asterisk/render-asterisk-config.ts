import { ASTERISK_MODULES } from './asterisk-modules';
import { asteriskInstanceDir } from './asterisk-instance-dir';
import { type AgentPhone, type AsteriskSiteConfig } from './asterisk-site-config';

export interface RenderAsteriskConfigOptions {
  /** Names the instance folder inside the rootfs (`/srv/lianluo/<instanceId>`); the site name by default. */
  readonly instanceId?: string;
  /** Also log verbose messages (dialplan, SIP transactions) to the console and `messages.log`. */
  readonly verbose?: boolean;
}

/** The contexts calls arrive in; each only hands the call to Stasis. */
export const ASTERISK_CONTEXTS = ['from-trunk', 'from-site', 'from-phones'] as const;

/**
 * Asterisk's configuration for one site, file name → contents: the PSTN trunk, the
 * inter-site trunk and the agent phones over PJSIP, ARI for our Stasis application, and a
 * dialplan that does nothing but `Stasis(...)`. Pure: the same input renders the same files.
 */
export function renderAsteriskConfig(site: AsteriskSiteConfig, options: RenderAsteriskConfigOptions = {}): Record<string, string> {
  const dir = asteriskInstanceDir(options.instanceId ?? site.name);
  const levels = options.verbose ? 'notice,warning,error,verbose' : 'notice,warning,error';
  return {
    'asterisk.conf': lines(
      '[directories]',
      `astetcdir => ${dir}/etc/asterisk`,
      // Everything Asterisk writes goes to the instance folder. Modules, sounds (astdatadir),
      // AGI scripts and binaries keep Debian's compiled-in paths, whatever the architecture.
      `astvarlibdir => ${dir}/lib`,
      `astdbdir => ${dir}/lib`,
      `astkeydir => ${dir}/lib`, // keys are read from <astkeydir>/keys
      `astspooldir => ${dir}/spool`,
      `astrundir => ${dir}/run`,
      `astlogdir => ${dir}/log`,
      `astcachedir => ${dir}/cache`,
      '',
      '[options]',
      `verbose = ${options.verbose ? 3 : 0}`,
      'debug = 0',
      // Prefixes channel unique ids, so ids of the two sites never collide.
      `systemname = ${site.name}`,
      'hideconnect = yes',
      'documentation_language = en_US',
    ),
    'modules.conf': lines('[modules]', 'autoload = no', ...ASTERISK_MODULES.map((module) => `load = ${module}.so`)),
    'logger.conf': lines(
      '[general]',
      'dateformat = %F %T.%3q',
      '',
      '[logfiles]',
      `console => ${levels}`,
      `messages.log => ${levels}`,
    ),
    'http.conf': lines('[general]', 'enabled = yes', `bindaddr = ${site.address}`, `bindport = ${site.httpPort}`),
    // Channels, bridges, endpoints and uptime for Prometheus, on the same HTTP server as ARI.
    'prometheus.conf': lines('[general]', 'enabled = yes', 'core_metrics_enabled = yes', 'uri = metrics'),
    'ari.conf': lines(
      '[general]',
      'enabled = yes',
      '',
      `[${site.ariUser}]`,
      'type = user',
      'read_only = no',
      'password_format = plain',
      `password = ${site.ariPassword}`,
    ),
    'rtp.conf': lines('[general]', `rtpstart = ${site.rtpStart}`, `rtpend = ${site.rtpEnd}`, 'icesupport = no'),
    'pjsip.conf': renderPjsip(site),
    'extensions.conf': renderDialplan(site.stasisApp),
    // Debian's music-on-hold packages are not in the rootfs; a class must exist for
    // holding bridges and ARI's startMoh, so the default one plays silence.
    'musiconhold.conf': lines('[default]', 'mode = playlist', 'entry = /usr/share/asterisk/sounds/en/silence/10'),
    'indications.conf': lines(
      '[general]',
      'country = cn',
      '',
      '[cn]',
      'description = China',
      'ringcadence = 1000,4000',
      'dial = 450',
      'busy = 450/350,0/350',
      'ring = 450/1000,0/4000',
      'congestion = 450/700,0/700',
      'callwaiting = 450/400,0/4000',
      'dialrecall = 450/400,0/40',
      'record = 950/400,0/10000',
      'info = 450/100,0/100,450/100,0/100,450/100,0/100,450/400,0/400',
    ),
    // Reporting records calls from our own events; Asterisk's call records stay off.
    'cdr.conf': lines('[general]', 'enable = no'),
    'cel.conf': lines('[general]', 'enable = no'),
    'manager.conf': lines('[general]', 'enabled = no'),
    // Present so Asterisk does not complain at start-up; the defaults are what we want.
    'stasis.conf': lines('[threadpool]'),
    'features.conf': lines('[general]'),
    'ccss.conf': lines('[general]'),
    'acl.conf': '',
    'udptl.conf': lines('[general]'),
    'pjproject.conf': lines('[startup]', 'type = startup'),
    'websocket_client.conf': '',
  };
}

function renderPjsip(site: AsteriskSiteConfig): string {
  const peer = `site-${site.peer.name}`;
  return lines(
    '[global]',
    'type = global',
    `user_agent = Lianluo ${site.name}`,
    // Trunks and sites by source address first; a phone by the user it sends from.
    'endpoint_identifier_order = ip,username',
    '',
    '[system]',
    'type = system',
    // Large INVITEs must stay on UDP: SIPp peers do not listen on TCP.
    'disable_tcp_switch = yes',
    '',
    '[transport-udp]',
    'type = transport',
    'protocol = udp',
    `bind = ${site.address}:${site.sipPort}`,
    '',
    '[transport-tcp]',
    'type = transport',
    'protocol = tcp',
    `bind = ${site.address}:${site.sipPort}`,
    '',
    '; What every endpoint shares: G.711, RFC 4733 digits, media through this site on its address.',
    '[media-endpoint](!)',
    'type = endpoint',
    'disallow = all',
    'allow = ulaw,alaw',
    'dtmf_mode = rfc4733',
    'direct_media = no',
    'rtp_symmetric = yes',
    'force_rport = yes',
    `media_address = ${site.address}`,
    'bind_rtp_to_media_address = yes',
    `set_var = LIANLUO_TENANT=${site.tenant}`,
    '',
    '; The PSTN trunk: calls from its addresses enter the contact centre; PSTN numbers are dialled at its contact.',
    '[trunk](media-endpoint)',
    'context = from-trunk',
    ...(site.trunkContact ? ['aors = trunk', '', '[trunk]', 'type = aor', `contact = ${site.trunkContact}`] : []),
    '',
    '[trunk]',
    'type = identify',
    'endpoint = trunk',
    `match = ${site.trunkMatch}`,
    '',
    `; The inter-site trunk: the media gateway reaches agents of site ${site.peer.name} with PJSIP/<number>@${peer}.`,
    `[${peer}](media-endpoint)`,
    'context = from-site',
    `aors = ${peer}`,
    'send_pai = yes',
    'trust_id_inbound = yes',
    'trust_id_outbound = yes',
    '',
    `[${peer}]`,
    'type = aor',
    `contact = sip:${site.peer.address}:${site.peer.sipPort}`,
    '',
    `[${peer}]`,
    'type = identify',
    `endpoint = ${peer}`,
    `match = ${site.peer.address}/32`,
    ...site.agents.flatMap(renderAgentPhone),
  );
}

function renderAgentPhone(agent: AgentPhone): string[] {
  const { extension } = agent;
  return [
    '',
    `; Agent phone ${extension}: registers with its password${agent.staticContact ? ', or is reached at its static contact' : ''}.`,
    `[${extension}](media-endpoint)`,
    'context = from-phones',
    `auth = ${extension}`,
    `aors = ${extension}`,
    `callerid = "Agent ${extension}" <${extension}>`,
    'rewrite_contact = yes',
    '',
    `[${extension}]`,
    'type = auth',
    'auth_type = userpass',
    `username = ${extension}`,
    `password = ${agent.password}`,
    '',
    `[${extension}]`,
    'type = aor',
    'max_contacts = 1',
    'remove_existing = yes',
    ...(agent.staticContact ? [`contact = ${agent.staticContact}`] : []),
  ];
}

function renderDialplan(stasisApp: string): string {
  return lines(
    '; Calls are controlled over ARI only: every context hands the call to Stasis.',
    '[general]',
    'static = yes',
    'writeprotect = yes',
    ...ASTERISK_CONTEXTS.flatMap((context) => [
      '',
      `[${context}]`,
      `exten => _X,1,Stasis(${stasisApp})`,
      `exten => _X.,1,Stasis(${stasisApp})`,
      `exten => _+X.,1,Stasis(${stasisApp})`,
      `exten => s,1,Stasis(${stasisApp})`,
    ]),
  );
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}
