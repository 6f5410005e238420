// Real Asterisk in the chroot: needs `bash scripts/provision.sh` (npm test runs it).
import { startSites, type Sites } from './start-sites';

jest.setTimeout(60_000);

async function ariAnswers(url: string, user: string, password: string): Promise<boolean> {
  const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const response = await fetch(`${url}/ari/asterisk/info`, { headers: { authorization: auth } }).catch(() => undefined);
  return response?.ok ?? false;
}

describe('startSites', () => {
  let sites: Sites;

  beforeAll(async () => {
    sites = await startSites();
  });

  afterAll(async () => {
    await sites?.remove();
  });

  it('runs Asterisk 22 for both sites with ARI answering', async () => {
    for (const site of [sites.bj, sites.sz]) {
      expect(await ariAnswers(site.ariUrl, site.ariUser, site.ariPassword)).toBe(true);
      expect(await site.cli('core show version')).toMatch(/^Asterisk 22\./);
    }
  });

  it('joins the sites with an inter-site trunk pointing at the other site', async () => {
    const endpoint = await sites.bj.cli('pjsip show endpoint site-sz');
    expect(endpoint).toContain(`sip:${sites.sz.site.address}:${sites.sz.site.sipPort}`);
    expect(endpoint).toContain(`${sites.sz.site.address}/32`);
    const back = await sites.sz.cli('pjsip show endpoint site-bj');
    expect(back).toContain(`sip:${sites.bj.site.address}:${sites.bj.site.sipPort}`);
  });

  it('brings ARI back after Asterisk is killed and started again', async () => {
    await sites.bj.kill();
    expect(sites.bj.isRunning).toBe(false);
    expect(await ariAnswers(sites.bj.ariUrl, sites.bj.ariUser, sites.bj.ariPassword)).toBe(false);
    await sites.bj.start();
    expect(await ariAnswers(sites.bj.ariUrl, sites.bj.ariUser, sites.bj.ariPassword)).toBe(true);
  });
});
