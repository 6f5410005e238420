import { type AsteriskSiteConfig } from './asterisk-site-config';

/** Modules that need hardware, ODBC, LDAP, other databases or config we do not ship. */
const NOLOAD = [
  'chan_dahdi', 'chan_iax2', 'chan_unistim', 'chan_skinny', 'chan_mgcp', 'chan_console', 'chan_alsa', 'chan_mobile',
  'chan_ooh323', 'chan_motif', 'codec_dahdi', 'res_timing_dahdi', 'res_odbc', 'res_config_odbc', 'res_config_pgsql',
  'res_config_mysql', 'res_config_ldap', 'res_config_sqlite3', 'cdr_pgsql', 'cdr_odbc', 'cdr_tds', 'cdr_radius',
  'cdr_custom', 'cdr_sqlite3_custom', 'cdr_beanstalkd', 'cdr_adaptive_odbc', 'cdr_manager', 'cel_pgsql', 'cel_odbc',
  'cel_tds', 'cel_radius', 'cel_custom', 'cel_sqlite3_custom', 'cel_beanstalkd', 'cel_manager', 'res_hep',
  'res_hep_pjsip', 'res_hep_rtcp', 'res_corosync', 'res_calendar', 'res_xmpp', 'res_snmp', 'res_smdi',
  'app_voicemail_odbc', 'app_voicemail_imap', 'res_phoneprov', 'res_pjsip_phoneprov_provider', 'pbx_dundi',
  'pbx_lua', 'pbx_ael', 'res_ael_share', 'res_fax_spandsp', 'app_meetme', 'res_stir_shaken', 'res_prometheus',
  'res_statsd', 'res_adsi', 'app_adsiprog', 'app_getcpeid', 'res_pjsip_stir_shaken', 'app_festival', 'res_aeap',
  'res_speech_aeap', 'chan_websocket', 'res_geolocation', 'res_pjsip_geolocation',
];

/** The per-instance folder inside the root filesystem. */
export function instanceDir(instanceId: string): string {
  return `/srv/lianluo/${instanceId}`;
}

/**
 * Asterisk configuration for one site: PJSIP trunk, inter-site trunk and agent phones,
 * ARI for our Stasis application, and a dialplan that does nothing but `Stasis(...)`.
 * Pure: the same site always renders the same files.
 */
export function renderAsteriskConfig(instanceId: string, site: AsteriskSiteConfig): Record<string, string> {
  const dir = instanceDir(instanceId);
  const agents = site.agents
    .map(
      (a) => `
[${a.extension}]
type=endpoint
context=from-phones
disallow=all
allow=ulaw,alaw
dtmf_mode=rfc4733
direct_media=no
rtp_symmetric=yes
force_rport=yes
rewrite_contact=yes
auth=${a.extension}-auth
aors=${a.extension}
callerid=Agent ${a.extension} <${a.extension}>
set_var=LIANLUO_TENANT=${site.tenant}

[${a.extension}-auth]
type=auth
auth_type=userpass
username=${a.extension}
password=${a.password}

[${a.extension}]
type=aor
max_contacts=1
remove_existing=yes
${a.staticContact ? `contact=${a.staticContact}` : ''}
`,
    )
    .join('');
  const peer = `site-${site.peer.name}`;
  return {
    'asterisk.conf': `[directories]
astetcdir => ${dir}/etc
astmoddir => /usr/lib/x86_64-linux-gnu/asterisk/modules
astvarlibdir => /var/lib/asterisk
astdbdir => ${dir}/db
astkeydir => ${dir}/keys
astdatadir => /usr/share/asterisk
astagidir => /usr/share/asterisk/agi-bin
astspooldir => ${dir}/spool
astrundir => ${dir}/run
astlogdir => ${dir}/log
astsbindir => /usr/sbin

[options]
verbose = 0
nofork = yes
systemname = ${site.name}
`,
    'modules.conf': `[modules]
autoload = yes
${NOLOAD.map((m) => `noload => ${m}.so`).join('\n')}
`,
    'logger.conf': `[general]
dateformat = %F %T.%3q

[logfiles]
console => notice,warning,error
messages.log => notice,warning,error
`,
    'http.conf': `[general]
enabled = yes
bindaddr = ${site.address}
bindport = ${site.httpPort}
`,
    'ari.conf': `[general]
enabled = yes

[${site.ariUser}]
type = user
read_only = no
password = ${site.ariPassword}
`,
    'rtp.conf': `[general]
rtpstart = ${site.rtpStart}
rtpend = ${site.rtpEnd}
`,
    'cdr.conf': `[general]
enable = no
`,
    'cel.conf': `[general]
enable = no
`,
    'features.conf': `[general]
`,
    'indications.conf': `[general]
country = cn

[cn]
description = China
ringcadence = 1000,4000
dial = 450
busy = 450/350,0/350
ring = 450/1000,0/4000
congestion = 450/700,0/700
callwaiting = 450/400,0/4000
`,
    'musiconhold.conf': `[general]
`,
    'pjsip.conf': `[global]
type = global
user_agent = Lianluo ${site.name}

[transport-udp]
type = transport
protocol = udp
bind = ${site.address}:${site.sipPort}

; The PSTN trunk: calls from its addresses enter the contact centre.
[trunk]
type = endpoint
context = from-trunk
disallow = all
allow = ulaw,alaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes
force_rport = yes
set_var = LIANLUO_TENANT=${site.tenant}

[trunk]
type = identify
endpoint = trunk
match = ${site.trunkMatch}

; The inter-site trunk: agents of one site take callers of the other.
[${peer}]
type = endpoint
context = from-site
disallow = all
allow = ulaw,alaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes
send_pai = yes
trust_id_inbound = yes
trust_id_outbound = yes
aors = ${peer}
set_var = LIANLUO_TENANT=${site.tenant}

[${peer}]
type = aor
contact = sip:${site.peer.address}:${site.peer.sipPort}

[${peer}]
type = identify
endpoint = ${peer}
match = ${site.peer.address}/32
${agents}`,
    'extensions.conf': `; Everything is controlled over ARI: the dialplan only hands calls to Stasis.
[general]
static = yes
writeprotect = yes

${['from-trunk', 'from-site', 'from-phones']
  .map(
    (context) => `[${context}]
exten => _X.,1,Stasis(${site.stasisApp})
exten => _+X.,1,Stasis(${site.stasisApp})
exten => s,1,Stasis(${site.stasisApp})
`,
  )
  .join('\n')}`,
  };
}
