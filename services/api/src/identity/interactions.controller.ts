import { Controller, Get, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider' with { 'resolution-mode': 'import' };
import { z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { Public } from '../auth/public.decorator';
import { API_SCOPE, INTERACTION_PATH } from './oidc-provider.factory';
import { OIDC_PROVIDER } from './oidc-provider.token';
import { UsersRepository } from './users.repository';
import { escapeHtml } from './escape-html';

type Request = IncomingMessage & { body?: unknown };
type Response = ServerResponse & { status(code: number): Response; type(type: string): Response; send(body: string): void; set(name: string, value: string): Response };

const signInForm = z.object({ login: z.string().trim().min(1).max(200), password: z.string().min(1).max(1000) });


function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input,button{padding:.5rem;font-size:1rem}.error{color:#a00}</style></head>
<body><main><h1>Lianluo 联络</h1>${body}</main></body></html>`;
}

function signInPage(uid: string, problem?: string, login = ''): string {
  const error = problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : '';
  return page(
    'Sign in',
    `${error}<form method="post" action="${INTERACTION_PATH}/${uid}/login">
<label for="login">Login</label><input id="login" name="login" autocomplete="username" required value="${escapeHtml(login)}" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

/**
 * The embedded provider's sign-in pages: oidc-provider sends a browser here when it needs a
 * login; a right password ends the interaction with the account and a grant of the scopes
 * asked for (every client of the provider is the centre's own, so there is no consent page).
 */
@ApiExcludeController()
@Public()
@Controller(INTERACTION_PATH.slice(1))
export class InteractionsController {
  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly users: UsersRepository,
  ) {}

  @Get(':uid')
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      res.status(200).type('html').send(signInPage(details.uid));
      return;
    }
    // Signed in already (a session): grant what the client asked for and go on.
    await this.finish(req, res, details.session?.accountId, false);
  }

  @Post(':uid/login')
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ public: true })
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const form = signInForm.safeParse(req.body ?? {});
    if (!form.success) {
      res.status(400).type('html').send(signInPage(details.uid, 'Enter your login and password.'));
      return;
    }
    const outcome = await this.users.signIn(form.data.login, form.data.password, { maxFailures: this.config.LOGIN_MAX_FAILURES, lockSeconds: this.config.LOGIN_LOCK_SECONDS });
    switch (outcome.kind) {
      case 'locked':
        res.set('Retry-After', String(outcome.retryAfterSeconds));
        res.status(429).type('html').send(signInPage(details.uid, `Too many wrong passwords: this account is locked for ${Math.ceil(outcome.retryAfterSeconds / 60)} minutes.`, form.data.login));
        return;
      case 'refused':
        res.status(401).type('html').send(signInPage(details.uid, 'Wrong login or password.', form.data.login));
        return;
      case 'signed-in':
        await this.finish(req, res, outcome.user.userId, true);
    }
  }

  @Get(':uid/abort')
  async abort(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'sign-in cancelled' }, { mergeWithLastSubmission: false });
  }

  private async finish(req: Request, res: Response, accountId: string | undefined, signedInNow: boolean): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    if (!accountId) {
      res.status(200).type('html').send(signInPage(details.uid));
      return;
    }
    const { Grant } = this.provider;
    const grant = details.grantId ? ((await Grant.find(details.grantId)) ?? new Grant({ accountId, clientId: String(details.params.client_id) })) : new Grant({ accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    grant.addResourceScope(this.config.OIDC_AUDIENCE, API_SCOPE);
    const grantId = await grant.save();
    const result = { ...(signedInNow ? { login: { accountId } } : {}), consent: { grantId } };
    await this.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
}
