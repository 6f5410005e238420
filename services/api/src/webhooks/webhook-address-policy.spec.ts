import { WebhookAddressPolicy } from './webhook-address-policy';

describe('the addresses webhooks may reach', () => {
  const policy = new WebhookAddressPolicy();

  it('allows public addresses', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111']) expect(policy.allows(address)).toBe(true);
  });

  it('refuses this host, private networks, link-local and cloud metadata addresses', () => {
    const refused = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '224.0.0.1', '255.255.255.255'];
    expect(refused.filter((address) => policy.allows(address))).toEqual([]);
  });

  it('sees through IPv4-mapped IPv6 addresses', () => {
    expect(policy.allows('::ffff:127.0.0.1')).toBe(false);
    expect(policy.allows('::ffff:169.254.169.254')).toBe(false);
    expect(policy.allows('::ffff:8.8.8.8')).toBe(true);
  });

  it('refuses anything that is not an IP address', () => {
    expect(policy.allows('localhost')).toBe(false);
    expect(policy.allows('')).toBe(false);
  });

  it('lets the networks an operator allows through, and only those', () => {
    const onPremises = new WebhookAddressPolicy(['10.20.0.0/16', '127.0.0.1/32']);
    expect(onPremises.allows('10.20.3.4')).toBe(true);
    expect(onPremises.allows('127.0.0.1')).toBe(true);
    expect(onPremises.allows('10.21.0.1')).toBe(false);
    expect(onPremises.allows('127.0.0.2')).toBe(false);
    expect(onPremises.allows('169.254.169.254')).toBe(false);
  });

  it('refuses a malformed allowed network at start-up', () => {
    expect(() => new WebhookAddressPolicy(['10.0.0.0/33'])).toThrow(/not a network/);
    expect(() => new WebhookAddressPolicy(['example.com/8'])).toThrow(/not a network/);
  });
});
