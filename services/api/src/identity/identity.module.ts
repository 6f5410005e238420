import { POSTGRES } from '@lianluo/postgres';
import { type DynamicModule, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Pool } from 'pg';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { readIdentitySeed } from './identity-seed';
import { InteractionsController } from './interactions.controller';
import { createOidcProvider } from './oidc-provider.factory';
import { OIDC_PROVIDER } from './oidc-provider.token';
import { sweepExpired } from './oidc-postgres.adapter';
import { ToolClientsRepository } from './tool-clients.repository';
import { UsersRepository } from './users.repository';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * The embedded OpenID provider, its users and tool clients, and its sign-in pages. With an
 * external issuer (OIDC_EXTERNAL_ISSUER) there is no provider and no sign-in page: people
 * sign in there, and the users kept here are not used.
 */
@Module({ providers: [UsersRepository, ToolClientsRepository], exports: [UsersRepository, ToolClientsRepository] })
export class IdentityModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityModule.name);
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(POSTGRES) private readonly pool: Pool,
    private readonly users: UsersRepository,
    private readonly clients: ToolClientsRepository,
  ) {}

  static forConfig(config: ApiConfig): DynamicModule {
    if (config.OIDC_EXTERNAL_ISSUER) return { module: IdentityModule };
    return {
      module: IdentityModule,
      controllers: [InteractionsController],
      providers: [
        {
          provide: OIDC_PROVIDER,
          inject: [API_CONFIG, POSTGRES, UsersRepository],
          useFactory: (apiConfig: ApiConfig, pool: Pool, users: UsersRepository) => createOidcProvider(apiConfig, pool, users),
        },
      ],
      exports: [OIDC_PROVIDER],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.API_SEED_FILE) {
      const seed = await readIdentitySeed(this.config.API_SEED_FILE);
      for (const user of seed.users) await this.users.seed(user);
      for (const client of seed.clients) await this.clients.upsert(client);
      this.logger.log({ users: seed.users.length, clients: seed.clients.length }, 'identity seed applied');
    }
    this.sweep = setInterval(() => {
      sweepExpired(this.pool).catch((error: unknown) => this.logger.warn({ err: error }, 'could not delete expired sessions and tokens'));
    }, SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
  }
}
