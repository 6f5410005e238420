import { defaultSites } from './asterisk-site-config';
import { instanceDir, renderAsteriskConfig } from './render-asterisk-config';

const { bj, sz } = defaultSites();
const files = renderAsteriskConfig('run1-bj', bj);

describe('renderAsteriskConfig', () => {
  it('keeps every writable folder of an instance in its own directory, not in the Debian template', () => {
    expect(files['asterisk.conf']).toMatch(/^\[directories\]\n/); // "(!)" would make it a template Asterisk ignores
    for (const key of ['astetcdir', 'astdbdir', 'astspooldir', 'astrundir', 'astlogdir', 'astkeydir']) {
      expect(files['asterisk.conf']).toContain(`${key} => ${instanceDir('run1-bj')}/`);
    }
  });

  it('binds SIP and ARI to the site address and ports', () => {
    expect(files['pjsip.conf']).toContain(`bind = ${bj.address}:${bj.sipPort}`);
    expect(files['http.conf']).toContain(`bindaddr = ${bj.address}`);
    expect(files['http.conf']).toContain(`bindport = ${bj.httpPort}`);
    expect(files['ari.conf']).toContain(`[${bj.ariUser}]`);
    expect(files['rtp.conf']).toContain(`rtpstart = ${bj.rtpStart}`);
  });

  it('hands every call to Stasis and does nothing else in the dialplan', () => {
    const logic = files['extensions.conf']!.split('\n').filter((l) => l.startsWith('exten'));
    expect(logic.length).toBeGreaterThan(0);
    for (const line of logic) expect(line).toMatch(/,1,Stasis\(lianluo\)$/);
  });

  it('identifies the trunk and the other site by address and tags trunk calls with the tenant', () => {
    const pjsip = files['pjsip.conf']!;
    expect(pjsip).toContain(`match = ${bj.trunkMatch}`);
    expect(pjsip).toContain(`[site-sz]\ntype = aor\ncontact = sip:${sz.address}:${bj.peer.sipPort}`);
    expect(pjsip).toContain(`match = ${sz.address}/32`);
    expect(pjsip).toContain('set_var = LIANLUO_TENANT=demo');
  });

  it('gives agent phones credentials and no anonymous way in', () => {
    const pjsip = files['pjsip.conf']!;
    for (const agent of bj.agents) {
      expect(pjsip).toContain(`username=${agent.extension}\npassword=${agent.password}`);
    }
    expect(pjsip).not.toMatch(/\[anonymous\]/);
    expect(pjsip).not.toMatch(/allow_unauthenticated_options\s*=\s*yes/);
  });

  it('renders the same files for the same site', () => {
    expect(renderAsteriskConfig('run1-bj', bj)).toEqual(files);
  });
});
