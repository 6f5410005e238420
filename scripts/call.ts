// `npm run call -- [number] [digit] [site]`: one SIPp call into the running local stack.
import { defaultSites, runSipp, shippedDtmfPcap } from '@lianluo/testing';

async function main() {
  const [number = '100', digit = '1', siteName = 'bj'] = process.argv.slice(2);
  const sites = defaultSites();
  const site = siteName === 'sz' ? sites.sz : sites.bj;
  console.log(`calling sip:${number}@${site.address}:${site.sipPort} from 127.0.0.1, keying ${digit}…`);
  const result = await runSipp({
    scenario: 'uac-dtmf.xml',
    target: `${site.address}:${site.sipPort}`,
    service: number,
    values: { dtmf_pcap: shippedDtmfPcap(digit), pause_before_dtmf_ms: 2_500 },
    timeoutMs: 60_000,
  });
  const lines = result.messages
    .split('\n')
    .filter((line) => /^(INVITE|ACK|BYE|SIP\/2\.0) /.test(line))
    .map((line) => `  ${line}`);
  console.log(lines.join('\n'));
  if (result.exitCode === 0) {
    console.log('call completed: answered, digit sent, hung up by Lianluo');
  } else {
    console.log(`call failed (SIPp exit ${result.exitCode}). Is \`npm start\` running?\n${result.errors || result.stderr}`);
    process.exit(1);
  }
}

void main();
