import { createHash, randomBytes } from 'node:crypto';

/** What an OpenID provider's token endpoint answers for a code or a refresh token. */
export interface TokenSet {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly expires_in: number;
  readonly token_type: string;
}

export interface BrowserClient {
  /** The issuer, e.g. http://127.0.0.1:3000/oidc. */
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope?: string;
}

/**
 * A browser's sign-in at the embedded provider (authorization code + PKCE), done with fetch:
 * cookies kept by hand, redirects followed one by one, the login form posted like a person
 * would. `start` reaches the sign-in page; `submit` posts a password and returns the page's
 * answer; `finish` follows the redirects back to the app and redeems the code.
 */
export class BrowserSignIn {
  private readonly cookies = new Map<string, string>();
  private readonly verifier = randomBytes(32).toString('base64url');
  private readonly state = randomBytes(12).toString('base64url');
  private interactionUrl: string | undefined;

  constructor(private readonly client: BrowserClient) {}

  /** Asks for authorization and follows the provider to its sign-in page. */
  async start(): Promise<void> {
    const challenge = createHash('sha256').update(this.verifier).digest('base64url');
    const query = new URLSearchParams({
      client_id: this.client.clientId,
      response_type: 'code',
      redirect_uri: this.client.redirectUri,
      scope: this.client.scope ?? 'openid profile api',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: this.state,
    });
    const { url, response } = await this.follow(`${this.client.issuer}/auth?${query}`);
    if (response.status !== 200) throw new Error(`the provider answered ${response.status} at ${url}: ${await response.text()}`);
    this.interactionUrl = url;
  }

  /** Posts login and password to the sign-in page; the answer (303 when right, 401/429 otherwise). */
  async submit(login: string, password: string): Promise<Response> {
    if (!this.interactionUrl) throw new Error('start() first');
    return this.request(`${this.interactionUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login, password }).toString(),
    });
  }

  /** After a submit answered 303: follows back to the app and redeems the code for tokens. */
  async finish(afterSubmit: Response): Promise<TokenSet> {
    const location = afterSubmit.headers.get('location');
    if (afterSubmit.status !== 303 || !location) throw new Error(`the sign-in was refused: ${afterSubmit.status} ${await afterSubmit.text()}`);
    const { url } = await this.follow(new URL(location, this.interactionUrl).href);
    const callback = new URL(url);
    const code = callback.searchParams.get('code');
    if (!code || callback.searchParams.get('state') !== this.state) throw new Error(`no code came back: ${url}`);
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.client.redirectUri, client_id: this.client.clientId, code_verifier: this.verifier });
  }

  /** Signs in with a password, start to finish. */
  async signIn(login: string, password: string): Promise<TokenSet> {
    await this.start();
    return this.finish(await this.submit(login, password));
  }

  /** Redeems a refresh token (the public client's way). */
  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.client.clientId });
  }

  /** Revokes a token at the revocation endpoint, as a desktop's logout does. */
  async revoke(token: string): Promise<void> {
    const response = await fetch(`${this.client.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: this.client.clientId }).toString(),
    });
    if (!response.ok) throw new Error(`revocation answered ${response.status}: ${await response.text()}`);
  }

  private async token(form: Record<string, string>): Promise<TokenSet> {
    const response = await fetch(`${this.client.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const body = (await response.json()) as TokenSet & { error?: string; error_description?: string };
    if (!response.ok) throw new TokenRequestRefused(response.status, body.error ?? 'unknown', body.error_description ?? '');
    return body;
  }

  /** Follows redirects until a page that is not one, or the app's redirect URI, which is not fetched. */
  private async follow(start: string): Promise<{ url: string; response: Response }> {
    let url = start;
    for (let hops = 0; hops < 10; hops++) {
      if (url.startsWith(this.client.redirectUri)) return { url, response: new Response(null, { status: 200 }) };
      const response = await this.request(url, { method: 'GET' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url, response };
      url = new URL(location, url).href;
    }
    throw new Error(`more than 10 redirects from ${start}`);
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The token endpoint refused: its OAuth error code (invalid_grant, …) and status. */
export class TokenRequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(`token request refused (${status} ${error}): ${description}`);
  }
}
