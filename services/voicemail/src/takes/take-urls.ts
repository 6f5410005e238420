import { CLOCK, type Clock } from '@lianluo/call-client';
import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Pool } from 'pg';
import { type TakeAddress, TAKE_URL_LIFETIME_MS, takeSignatureValid, takeUrl } from './take-url';

/** Makes and checks the signed URLs of takes, with the key all replicas share (table take_url_key). */
@Injectable()
export class TakeUrls implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const { rows } = await this.pool.query<{ secret: Buffer }>('SELECT secret FROM take_url_key WHERE id = 1');
    if (!rows[0]) throw new Error('take_url_key has no key: the voicemail migrations did not run');
    this.key = rows[0].secret;
  }

  /** A URL of the take `recordingId` of `tenant` on `baseUrl`, valid for TAKE_URL_LIFETIME_MS from now. */
  urlOf(baseUrl: string, tenant: string, recordingId: string): string {
    const expires = Math.ceil((this.clock.now() + TAKE_URL_LIFETIME_MS) / 1_000);
    return takeUrl(baseUrl, { tenant, file: `${recordingId}.wav`, expires }, this.loadedKey());
  }

  /** Whether a request's `expires` and `signature` are those of a URL voicemail made, still valid. */
  isValid(address: TakeAddress, signature: string): boolean {
    return takeSignatureValid(address, signature, this.loadedKey(), this.clock.now());
  }

  private loadedKey(): Buffer {
    if (!this.key) throw new Error('TakeUrls used before the module initialised');
    return this.key;
  }
}
