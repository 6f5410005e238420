import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type Role } from '../auth/role';
import { API_SCOPE } from './oidc-provider.factory';

export interface ToolClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
}

/**
 * Tools (a CLI, a CRM sync, a wallboard) sign in with client credentials: their metadata is
 * the provider's `Client` model, kept where the provider's adapter finds it, with the tenant
 * and roles their tokens carry.
 */
@Injectable()
export class ToolClientsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  async upsert(client: ToolClient): Promise<void> {
    const metadata = {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: API_SCOPE,
      tenant: client.tenant,
      roles: [...client.roles],
    };
    await this.pool.query(
      `INSERT INTO oidc_model (model, id, payload) VALUES ('Client', $1, $2)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload`,
      [client.clientId, metadata],
    );
  }
}
