import { type AsteriskSiteConfig } from './asterisk-site-config';
import { defaultSites } from './default-sites';
import { renderAsteriskConfig } from './render-asterisk-config';

/** One `[name](templates)` section of an Asterisk config file, options in order. */
interface Section {
  readonly name: string;
  readonly templates: string;
  readonly options: [string, string][];
}

function parse(text: string): Section[] {
  const sections: Section[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (header) {
      sections.push({ name: header[1] as string, templates: header[2] ?? '', options: [] });
      continue;
    }
    const option = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (!option || sections.length === 0) throw new Error(`not an option: ${raw}`);
    sections[sections.length - 1]?.options.push([option[1] as string, option[2] as string]);
  }
  return sections;
}

/** The options of the section `name` (of `type`, for pjsip.conf), as a map; the last value wins. */
function section(text: string, name: string, type?: string): Map<string, string> {
  const found = parse(text).filter((s) => s.name === name && (type === undefined || optionsOf(text, s).get('type') === type));
  if (found.length !== 1) throw new Error(`expected one [${name}]${type ? ` of type ${type}` : ''}, found ${found.length}`);
  return optionsOf(text, found[0] as Section);
}

/** A section's options including those of its templates. */
function optionsOf(text: string, s: Section): Map<string, string> {
  const inherited = s.templates
    .split(',')
    .filter((t) => t !== '' && t !== '!')
    .flatMap((t) => [...optionsOf(text, parse(text).find((other) => other.name === t) as Section)]);
  return new Map([...inherited, ...s.options]);
}

function valuesOf(text: string, name: string, key: string): string[] {
  return parse(text)
    .filter((s) => s.name === name)
    .flatMap((s) => s.options.filter(([k]) => k === key).map(([, v]) => v));
}

const { bj, sz } = defaultSites();
const site: AsteriskSiteConfig = {
  ...bj,
  sipPort: 45060,
  httpPort: 48088,
  rtpStart: 20000,
  rtpEnd: 20099,
  ariPassword: 's3cret',
  stasisApp: 'lianluo-test',
  tenant: 'acme',
  trunkMatch: '127.0.0.0/24',
  peer: { ...bj.peer, sipPort: 45062 },
  agents: [
    { extension: '1001', password: 'pw-1001', staticContact: 'sip:1001@127.0.3.1:5072' },
    { extension: '1002', password: 'pw-1002' },
  ],
};
const files = renderAsteriskConfig(site, { instanceId: 'run1-bj' });

describe('renderAsteriskConfig', () => {
  it('keeps everything Asterisk writes in the instance folder, so instances can share one rootfs', () => {
    const dirs = section(files['asterisk.conf'] as string, 'directories');
    for (const key of ['astetcdir', 'astvarlibdir', 'astdbdir', 'astkeydir', 'astspooldir', 'astrundir', 'astlogdir', 'astcachedir']) {
      expect(dirs.get(key)).toMatch(/^\/srv\/lianluo\/run1-bj\//);
    }
    expect(dirs.get('astetcdir')).toBe('/srv/lianluo/run1-bj/etc/asterisk');
  });

  it("leaves modules and sounds at Debian's own paths", () => {
    const dirs = section(files['asterisk.conf'] as string, 'directories');
    expect(dirs.has('astmoddir')).toBe(false);
    expect(dirs.has('astdatadir')).toBe(false);
  });

  it('names the instance folder after the site when no instance id is given', () => {
    const dirs = section(renderAsteriskConfig(site)['asterisk.conf'] as string, 'directories');
    expect(dirs.get('astrundir')).toBe('/srv/lianluo/bj/run');
  });

  it('refuses an instance id that is not a plain folder name', () => {
    expect(() => renderAsteriskConfig(site, { instanceId: '../etc' })).toThrow(/instanceId/);
  });

  it('binds SIP over UDP and TCP, RTP and ARI to the site address', () => {
    const pjsip = files['pjsip.conf'] as string;
    expect(section(pjsip, 'transport-udp')).toEqual(new Map([['type', 'transport'], ['protocol', 'udp'], ['bind', '127.0.1.1:45060']]));
    expect(section(pjsip, 'transport-tcp').get('bind')).toBe('127.0.1.1:45060');
    expect(section(pjsip, 'trunk', 'endpoint').get('media_address')).toBe('127.0.1.1');
    expect(section(pjsip, 'trunk', 'endpoint').get('bind_rtp_to_media_address')).toBe('yes');
    expect(section(files['http.conf'] as string, 'general')).toEqual(
      new Map([['enabled', 'yes'], ['bindaddr', '127.0.1.1'], ['bindport', '48088']]),
    );
    const rtp = section(files['rtp.conf'] as string, 'general');
    expect([rtp.get('rtpstart'), rtp.get('rtpend')]).toEqual(['20000', '20099']);
  });

  it('serves res_prometheus metrics at /metrics on the HTTP server ARI uses', () => {
    expect(section(files['prometheus.conf'] as string, 'general')).toEqual(
      new Map([['enabled', 'yes'], ['core_metrics_enabled', 'yes'], ['uri', 'metrics']]),
    );
    expect(files['modules.conf']).toContain('load = res_prometheus.so');
  });

  it('lets the ARI user of the site in with its password', () => {
    const user = section(files['ari.conf'] as string, 'lianluo');
    expect(user.get('type')).toBe('user');
    expect(user.get('password')).toBe('s3cret');
    expect(section(files['ari.conf'] as string, 'general').get('enabled')).toBe('yes');
  });

  it('hands every call to the Stasis application and does nothing else in the dialplan', () => {
    const dialplan = parse(files['extensions.conf'] as string).filter((s) => s.name !== 'general');
    expect(dialplan.map((s) => s.name)).toEqual(['from-trunk', 'from-site', 'from-phones']);
    for (const context of dialplan) {
      expect(context.options.map(([key, value]) => `${key} => ${value}`)).toEqual([
        'exten => _X,1,Stasis(lianluo-test)',
        'exten => _X.,1,Stasis(lianluo-test)',
        'exten => _+X.,1,Stasis(lianluo-test)',
        'exten => s,1,Stasis(lianluo-test)',
      ]);
    }
  });

  it('takes calls from the trunk addresses as PSTN calls of the tenant, G.711 with RFC 4733 digits', () => {
    const pjsip = files['pjsip.conf'] as string;
    expect(section(pjsip, 'trunk', 'identify')).toEqual(
      new Map([['type', 'identify'], ['endpoint', 'trunk'], ['match', '127.0.0.0/24']]),
    );
    const trunk = section(pjsip, 'trunk', 'endpoint');
    expect(trunk.get('context')).toBe('from-trunk');
    expect(trunk.get('set_var')).toBe('LIANLUO_TENANT=acme');
    expect(trunk.get('allow')).toBe('ulaw,alaw');
    expect(trunk.get('dtmf_mode')).toBe('rfc4733');
    expect(trunk.get('direct_media')).toBe('no');
    expect(trunk.get('rtp_symmetric')).toBe('yes');
  });

  it('dials PSTN numbers at the trunk contact when there is one, and nowhere when there is none', () => {
    expect(section(files['pjsip.conf'] as string, 'trunk', 'endpoint').has('aors')).toBe(false);
    expect(parse(files['pjsip.conf'] as string).filter((s) => s.name === 'trunk').length).toBe(2);

    const pjsip = renderAsteriskConfig({ ...site, trunkContact: 'sip:127.0.0.1:5090' })['pjsip.conf'] as string;
    expect(section(pjsip, 'trunk', 'endpoint').get('aors')).toBe('trunk');
    expect(section(pjsip, 'trunk', 'aor')).toEqual(new Map([['type', 'aor'], ['contact', 'sip:127.0.0.1:5090']]));
    expect(section(pjsip, 'trunk', 'identify').get('match')).toBe('127.0.0.0/24');
  });

  it('reaches the other site over an inter-site trunk that passes caller identity both ways', () => {
    const pjsip = files['pjsip.conf'] as string;
    const trunk = section(pjsip, 'site-sz', 'endpoint');
    expect(trunk.get('context')).toBe('from-site');
    expect(trunk.get('aors')).toBe('site-sz');
    expect([trunk.get('send_pai'), trunk.get('trust_id_inbound'), trunk.get('trust_id_outbound')]).toEqual(['yes', 'yes', 'yes']);
    expect(section(pjsip, 'site-sz', 'aor').get('contact')).toBe(`sip:${sz.address}:45062`);
    expect(section(pjsip, 'site-sz', 'identify').get('match')).toBe(`${sz.address}/32`);
  });

  it('lets an agent phone register once with its password, or reaches it at its static contact', () => {
    const pjsip = files['pjsip.conf'] as string;
    const phone = section(pjsip, '1001', 'endpoint');
    expect([phone.get('context'), phone.get('auth'), phone.get('aors')]).toEqual(['from-phones', '1001', '1001']);
    expect(section(pjsip, '1001', 'auth')).toEqual(
      new Map([['type', 'auth'], ['auth_type', 'userpass'], ['username', '1001'], ['password', 'pw-1001']]),
    );
    expect(section(pjsip, '1001', 'aor').get('max_contacts')).toBe('1');
    expect(section(pjsip, '1001', 'aor').get('contact')).toBe('sip:1001@127.0.3.1:5072');
    expect(section(pjsip, '1002', 'aor').has('contact')).toBe(false);
  });

  it('gives a request from an unknown source no endpoint to land on', () => {
    const pjsip = files['pjsip.conf'] as string;
    const endpoints = parse(pjsip).filter((s) => s.templates === 'media-endpoint').map((s) => s.name);
    expect(endpoints).toEqual(['trunk', 'site-sz', '1001', '1002']);
    expect(pjsip).not.toMatch(/anonymous|allow_unauthenticated_options\s*=\s*yes/);
    expect(section(pjsip, 'global').get('endpoint_identifier_order')).toBe('ip,username');
    expect(files['modules.conf']).not.toContain('res_pjsip_endpoint_identifier_anonymous');
  });

  it('loads a lean module list: SIP, ARI, Stasis, bridges and G.711, no hardware or database drivers', () => {
    const modules = section(files['modules.conf'] as string, 'modules');
    expect(modules.get('autoload')).toBe('no');
    const loaded = valuesOf(files['modules.conf'] as string, 'modules', 'load');
    for (const needed of ['chan_pjsip.so', 'res_ari.so', 'res_ari_channels.so', 'app_stasis.so', 'res_rtp_asterisk.so', 'codec_ulaw.so', 'pbx_config.so']) {
      expect(loaded).toContain(needed);
    }
    for (const unwanted of ['chan_iax2.so', 'chan_dahdi.so', 'res_odbc.so', 'res_config_pgsql.so', 'cdr_csv.so']) {
      expect(loaded).not.toContain(unwanted);
    }
  });

  it('logs notices, warnings and errors, and verbose messages only when asked', () => {
    expect(section(files['logger.conf'] as string, 'logfiles').get('messages.log')).toBe('notice,warning,error');
    const verbose = renderAsteriskConfig(site, { instanceId: 'run1-bj', verbose: true });
    expect(section(verbose['logger.conf'] as string, 'logfiles').get('messages.log')).toBe('notice,warning,error,verbose');
  });

  it('renders the same files for the same site', () => {
    expect(renderAsteriskConfig(site, { instanceId: 'run1-bj' })).toEqual(files);
  });
});
