import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TakeUrls } from './take-urls';

const signedTake = z.object({
  tenant: z.string(),
  file: z.string(),
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * A take is served only at the signed, expiring URL voicemail put in its play command:
 * Asterisk, which fetches it, sends no bearer token, and nobody else can make such a URL.
 */
@Injectable()
export class SignedTakeGuard implements CanActivate {
  constructor(private readonly urls: TakeUrls) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ params: Record<string, string>; query: Record<string, unknown> }>();
    const signed = signedTake.safeParse({ ...request.params, ...request.query });
    if (!signed.success || !this.urls.isValid({ tenant: signed.data.tenant, file: signed.data.file, expires: signed.data.expires }, signed.data.signature)) {
      throw new ForbiddenException({ error: 'forbidden', message: 'a take is served only at the signed URL voicemail gave, until it expires' });
    }
    return true;
  }
}
