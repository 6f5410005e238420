import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/**
 * Addresses a webhook must not reach unless an operator allows them (SSRF): this host,
 * private and shared networks, link-local (cloud metadata at 169.254.169.254 and
 * fd00:ec2::254 included), multicast and reserved ranges.
 */
const BLOCKED_NETWORKS: readonly (readonly [string, number, Family])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** `a.b.c.d/n` or `x::y/n`, as WEBHOOK_ALLOWED_NETWORKS lists them. */
export const CIDR = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/;

function networkOf(cidr: string): [string, number, Family] {
  const match = CIDR.exec(cidr);
  const family = match ? isIP(match[1]!) : 0;
  const prefix = Number(match?.[2]);
  if (!match || family === 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${cidr}" is not a network: a.b.c.d/n or x::y/n`);
  return [match[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6'];
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) stands for, or the address as it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Which addresses webhooks may be delivered to: every public address, and the blocked ones
 * an operator allows (WEBHOOK_ALLOWED_NETWORKS, e.g. a CRM on 10.20.0.0/16).
 */
export class WebhookAddressPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(allowedNetworks: readonly string[] = []) {
    for (const [network, prefix, family] of BLOCKED_NETWORKS) this.blocked.addSubnet(network, prefix, family);
    for (const cidr of allowedNetworks) this.allowed.addSubnet(...networkOf(cidr));
  }

  /** Whether an IP address may be connected to; anything that is not an IP address may not. */
  allows(address: string): boolean {
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    const type: Family = family === 4 ? 'ipv4' : 'ipv6';
    return !this.blocked.check(plain, type) || this.allowed.check(plain, type);
  }
}
