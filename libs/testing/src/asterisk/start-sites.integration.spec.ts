// Real Asterisk in the chroot and real SIPp: needs `bash scripts/provision.sh` (npm test runs it).
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDtmfPcap } from '../dtmf/write-dtmf-pcap';
import { freePort } from '../infra/free-port';
import { runSipp } from '../sipp/run-sipp';
import { startSippUas } from '../sipp/start-sipp-uas';
import { type AriEvent, AriTestApp } from '../test-support/ari-test-app';
import { type AsteriskInstance } from './asterisk-instance';
import { type Sites, startSites } from './start-sites';

jest.setTimeout(60_000);

const PHONE_ADDRESS = '127.0.3.1';

describe('two sites of real Asterisk', () => {
  let sites: Sites;
  let bj: AriTestApp;
  let sz: AriTestApp;
  let phonePort: number;
  let workDir: string;

  const connect = (site: AsteriskInstance) => AriTestApp.connect(site.ariUrl, site.ariUser, site.ariPassword, site.site.stasisApp);
  const stasisStart = (app: AriTestApp, match: (event: AriEvent) => boolean) => app.next((e) => e.type === 'StasisStart' && match(e));
  const stasisEnd = (app: AriTestApp, channelId: string) => app.next((e) => e.type === 'StasisEnd' && e.channel?.id === channelId);

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'lianluo-sites-'));
    phonePort = await freePort(PHONE_ADDRESS);
    sites = await startSites({
      customise: (site) =>
        site.name === 'bj'
          ? { ...site, agents: site.agents.map((a, i) => (i === 0 ? { ...a, staticContact: `sip:${a.extension}@${PHONE_ADDRESS}:${phonePort}` } : a)) }
          : site,
    });
    [bj, sz] = await Promise.all([connect(sites.bj), connect(sites.sz)]);
  });

  afterAll(async () => {
    bj?.close();
    sz?.close();
    await sites?.remove();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('runs Asterisk 22 at both sites, each answering ARI on its own address', async () => {
    for (const [site, app] of [[sites.bj, bj], [sites.sz, sz]] as const) {
      expect(site.ariUrl).toMatch(new RegExp(`^http://${site.site.address.replaceAll('.', '\\.')}:\\d+$`));
      expect(await app.rest('GET', '/asterisk/info')).toMatchObject({ system: { version: expect.stringMatching(/^22\./) } });
      expect(await site.cli('core show version')).toMatch(/^Asterisk 22\./);
    }
  });

  it('joins the sites with an inter-site trunk to the address and SIP port of the other', async () => {
    const toSz = await sites.bj.cli('pjsip show endpoint site-sz');
    expect(toSz).toContain(`site-sz/sip:${sites.sz.site.address}:${sites.sz.site.sipPort}`);
    expect(toSz).toMatch(new RegExp(`Match: ${sites.sz.site.address.replaceAll('.', '\\.')}/32`));
    const toBj = await sites.sz.cli('pjsip show endpoint site-bj');
    expect(toBj).toContain(`site-bj/sip:${sites.bj.site.address}:${sites.bj.site.sipPort}`);
  });

  it('takes a PSTN call into Stasis with the tenant of the trunk and hears every digit keyed, in order', async () => {
    const pcap = join(workDir, '12#9.pcap');
    await writeDtmfPcap('12#9', pcap);
    const caller = runSipp({
      scenario: 'uac-dtmf.xml',
      target: sites.bj.sipTarget,
      service: '95566',
      caller: '13900000001',
      values: { dtmf_pcap: pcap, pause_before_dtmf_ms: 300 }, // a key and a variable
      timeoutMs: 30_000,
    });
    const start = await stasisStart(bj, (e) => e.channel?.caller.number === '13900000001');
    const channelId = start.channel?.id as string;
    expect(start.channel).toMatchObject({ name: expect.stringMatching(/^PJSIP\/trunk-/), dialplan: { context: 'from-trunk', exten: '95566' } });
    expect(await bj.rest('GET', `/channels/${channelId}/variable`, { variable: 'LIANLUO_TENANT' })).toEqual({ value: 'demo' });

    await bj.rest('POST', `/channels/${channelId}/answer`);
    const digits = (e: AriEvent) => e.type === 'ChannelDtmfReceived' && e.channel?.id === channelId;
    await bj.next((e) => digits(e) && bj.events.filter(digits).length === 4);
    expect(bj.events.filter(digits).map((e) => e.digit)).toEqual(['1', '2', '#', '9']);

    await bj.rest('DELETE', `/channels/${channelId}`);
    const result = await caller;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
  });

  it('lets a caller hang up by itself', async () => {
    const caller = runSipp({ scenario: 'uac-simple.xml', target: sites.bj.sipTarget, caller: '13900000002', variables: { hangup_after_ms: 300 } });
    const start = await stasisStart(bj, (e) => e.channel?.caller.number === '13900000002');
    await bj.rest('POST', `/channels/${start.channel?.id}/answer`);
    await stasisEnd(bj, start.channel?.id as string);
    expect(await caller).toMatchObject({ exitCode: 0, errors: '' });
  });

  it('gives a caller from outside the trunk and site addresses no way in', async () => {
    const stranger = await runSipp({ scenario: 'uac-simple.xml', target: sites.bj.sipTarget, localAddress: '127.0.5.1', caller: '13900000003', timeoutMs: 10_000 });
    expect(stranger.exitCode).not.toBe(0);
    expect(stranger.messages).toMatch(/^SIP\/2\.0 401 Unauthorized/m);
    expect(bj.events.some((e) => e.type === 'StasisStart' && e.channel?.caller.number === '13900000003')).toBe(false);
  });

  it('dials an agent of the other site over the inter-site trunk into that site\u2019s Stasis application', async () => {
    const outbound = (await bj.rest('POST', '/channels', {
      endpoint: 'PJSIP/2001@site-sz',
      app: sites.bj.site.stasisApp,
      callerId: '13900000004',
    })) as { id: string };
    const arriving = await stasisStart(sz, (e) => e.channel?.dialplan.exten === '2001');
    expect(arriving.channel).toMatchObject({ name: expect.stringMatching(/^PJSIP\/site-bj-/), dialplan: { context: 'from-site' } });
    expect(arriving.channel?.caller.number).toBe('13900000004');

    await sz.rest('POST', `/channels/${arriving.channel?.id}/answer`);
    await stasisStart(bj, (e) => e.channel?.id === outbound.id);
    await bj.rest('DELETE', `/channels/${outbound.id}`);
    await stasisEnd(sz, arriving.channel?.id as string);
  });

  it('rings an agent phone at its static contact and hangs up on it', async () => {
    const phone = await startSippUas({ service: '1001', localAddress: PHONE_ADDRESS, localPort: phonePort, timeoutMs: 30_000 });
    const call = (await bj.rest('POST', '/channels', { endpoint: 'PJSIP/1001', app: sites.bj.site.stasisApp })) as { id: string };
    await stasisStart(bj, (e) => e.channel?.id === call.id);
    await bj.rest('DELETE', `/channels/${call.id}`);
    expect(await phone.done).toMatchObject({ exitCode: 0, errors: '' });
  });

  it('lets an agent phone ring, answer and hang up by itself', async () => {
    const phone = await startSippUas({
      service: '1001',
      localAddress: PHONE_ADDRESS,
      localPort: phonePort,
      variables: { answer_after_ms: 200, hangup_after_ms: 300 },
      timeoutMs: 30_000,
    });
    const call = (await bj.rest('POST', '/channels', { endpoint: 'PJSIP/1001', app: sites.bj.site.stasisApp })) as { id: string };
    await stasisStart(bj, (e) => e.channel?.id === call.id);
    await stasisEnd(bj, call.id);
    expect(await phone.done).toMatchObject({ exitCode: 0, errors: '' });
  });

  it('answers ARI again after Asterisk is killed and started, and after a restart', async () => {
    const info = () => fetch(`${sites.bj.ariUrl}/ari/asterisk/info`, { headers: { authorization: basic(sites.bj) } }).then((r) => r.status, () => 0);
    bj.close();
    await sites.bj.kill();
    expect(sites.bj.isRunning).toBe(false);
    expect(await info()).toBe(0);
    await sites.bj.start();
    expect(await info()).toBe(200);
    await sites.bj.restart();
    expect(await info()).toBe(200);
  });

  it('leaves no Asterisk and no instance folder behind once removed', async () => {
    const pids = [sites.bj.pid, sites.sz.pid];
    expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
    await sites.remove();
    for (const pid of pids) expect(() => process.kill(pid as number, 0)).toThrow();
    expect(existsSync(sites.bj.hostDir) || existsSync(sites.sz.hostDir)).toBe(false);
  });
});

function basic(site: AsteriskInstance): string {
  return 'Basic ' + Buffer.from(`${site.ariUser}:${site.ariPassword}`).toString('base64');
}
