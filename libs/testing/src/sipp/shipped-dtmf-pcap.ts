import { existsSync } from 'node:fs';

/** Debian's sip-tester ships these pcaps (one RFC 2833 digit each) and an A-law sample. */
export const SIP_TESTER_SHARE = '/usr/share/sip-tester';

/**
 * The pcap of one RFC 2833 digit Debian's sip-tester ships. All share one RTP timestamp, so
 * play one per call; for several digits use writeDtmfPcap().
 */
export function shippedDtmfPcap(digit: string): string {
  const names: Record<string, string> = { '*': 'star', '#': 'pound' };
  if (!/^[0-9*#]$/.test(digit)) throw new Error(`digit "${digit}": sip-tester ships pcaps for 0-9, * and # only`);
  return shippedPcap(`dtmf_2833_${names[digit] ?? digit}.pcap`);
}

/** A pcap of Debian's sip-tester, e.g. `g711a.pcap` (A-law speech, payload type 8). */
export function shippedPcap(name: string): string {
  const file = `${SIP_TESTER_SHARE}/${name}`;
  if (!existsSync(file)) throw new Error(`${file} is missing: install sip-tester (bash scripts/provision.sh)`);
  return file;
}
