import { WebhookAddressPolicy } from './webhook-address-policy';
import { type WebhookUrlRules, webhookUrlProblem } from './webhook-url';

const dns: Record<string, string[]> = { 'crm.example.com': ['93.184.215.14'], 'rebind.example.com': ['93.184.215.14', '169.254.169.254'], 'intranet.example.com': ['10.20.0.5'] };
const rules = (overrides: Partial<WebhookUrlRules> = {}): WebhookUrlRules => ({
  allowHttp: false,
  policy: new WebhookAddressPolicy(),
  resolve: (host) => Promise.resolve(dns[host] ?? []),
  ...overrides,
});

describe('which URLs may receive webhooks', () => {
  it('takes an https URL of a public host', async () => {
    expect(await webhookUrlProblem('https://crm.example.com/hooks/lianluo?x=1', rules())).toBeUndefined();
  });

  it('takes http only when the operator allows it', async () => {
    expect(await webhookUrlProblem('http://crm.example.com/hooks', rules())).toBe('must be an https URL');
    expect(await webhookUrlProblem('http://crm.example.com/hooks', rules({ allowHttp: true }))).toBeUndefined();
    expect(await webhookUrlProblem('ftp://crm.example.com/hooks', rules({ allowHttp: true }))).toBe('must be an http or https URL');
  });

  it('refuses credentials in the URL and what is not a URL', async () => {
    expect(await webhookUrlProblem('https://user:pw@crm.example.com/', rules())).toMatch(/credentials/);
    expect(await webhookUrlProblem('crm.example.com/hooks', rules())).toBe('must be an absolute URL');
  });

  it('refuses metadata, loopback and private addresses, literal or resolved, any one of them', async () => {
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://127.0.0.1:8443/', 'https://[::1]/', 'https://[fd00:ec2::254]/', 'https://rebind.example.com/', 'https://intranet.example.com/']) {
      expect(await webhookUrlProblem(url, rules())).toMatch(/loopback, private, link-local or metadata/);
    }
  });

  it('takes an allowed private network', async () => {
    expect(await webhookUrlProblem('https://intranet.example.com/', rules({ policy: new WebhookAddressPolicy(['10.20.0.0/16']) }))).toBeUndefined();
  });

  it('refuses a host that does not resolve', async () => {
    expect(await webhookUrlProblem('https://nowhere.example.com/', rules())).toBe('must name a host that resolves');
  });
});
