// The api as in production: replicas as their own processes (dist/main.js) on a NATS namespace,
// a database and Redis prefix of the run's own, users and tool clients of two tenants seeded from
// a file, and — when a test needs commands answered — acd as its own process too.
import { MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import {
  BrowserSignIn,
  ServiceProcess,
  serviceAuthEnv,
  TEST_POSTGRES_SERVER,
  apiReplicaEnv,
  type TokenSet,
  builtService,
  createTestDatabase,
  deleteRedisNamespace,
  dropTestDatabase,
  ensureLocalInfra,
  freePort,
  generateCookieSecret,
  generateSigningJwks,
  signAccessToken,
  uniqueNamespace,
} from '@lianluo/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const TENANTS = ['acme', 'globex'] as const;
export type Tenant = (typeof TENANTS)[number];
export const DESKTOP = 'lianluo-desktop';
export const TOOL_SECRET = 'tool-secret-0123456789abcdef0123456789';

/** The people of each tenant: login `<who>@<tenant>`, password `pw-<who>-<tenant>`. */
export const PEOPLE = {
  admin: { roles: ['admin'] },
  supervisor: { roles: ['supervisor'] },
  li: { roles: ['agent'], agentId: 'li' },
  wu: { roles: ['agent'], agentId: 'wu' },
} as const;
export type Person = keyof typeof PEOPLE;

export const loginOf = (who: Person, tenant: Tenant) => `${who}@${tenant}`;
export const passwordOf = (who: Person | 'ops', tenant: Tenant | 'platform') => `pw-${who}-${tenant}`;

function seedDocument() {
  const users: Record<string, unknown>[] = TENANTS.flatMap((tenant) =>
    Object.entries(PEOPLE).map(([who, person]) => ({ login: loginOf(who as Person, tenant), tenant, roles: [...person.roles], ...('agentId' in person ? { agentId: person.agentId } : {}), password: passwordOf(who as Person, tenant) })),
  );
  users.push({ login: 'ops', roles: ['platform-operator'], password: passwordOf('ops', 'platform') });
  const clients = TENANTS.map((tenant) => ({ clientId: `crm-${tenant}`, clientSecret: TOOL_SECRET, tenant, roles: ['admin'] }));
  return { users, clients };
}

/** acd's configuration for the agents of both tenants (email only: no phone is dialled). */
function acdDocument() {
  const agents = Object.values(PEOPLE).flatMap((person) =>
    'agentId' in person ? [{ agentId: person.agentId, site: 'bj', phone: { extension: `ext-${person.agentId}` }, capacity: { email: 1 }, queues: ['support'] }] : [],
  );
  return { tenants: Object.fromEntries(TENANTS.map((tenant) => [tenant, { queues: [{ queue: 'support', offerTimeoutMs: 60_000 }], agents }])) };
}

/** The services a test may start beside the api, each as its own process. */
export type BackingService = 'acd' | 'ivr' | 'voicemail' | 'reporting';

export interface ApiTestbedOptions {
  /** Services to start beside the api (acd answers its commands; the others serve routes api forwards). */
  readonly services?: readonly BackingService[];
  /** Extra environment of the api replicas. */
  readonly env?: Record<string, string>;
}

export class ApiTestbed {
  readonly replicas: ServiceProcess[] = [];
  private readonly services: ServiceProcess[] = [];
  private readonly tokens = new Map<string, Promise<TokenSet>>();

  private constructor(
    readonly namespace: string,
    private readonly dir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** The URL api was given for a service it forwards to. */
  serviceUrl(service: BackingService): string | undefined {
    return this.env[`${service.toUpperCase()}_URL`];
  }

  /** The first replica's base URL, e.g. http://127.0.0.1:40123. */
  get url(): string {
    return this.replicas[0]!.url;
  }

  /** The provider's private signing keys, for tests that forge tokens it would have signed. */
  get signingKeys(): { keys: Record<string, string>[] } {
    return JSON.parse(this.env.OIDC_SIGNING_KEYS!) as { keys: Record<string, string>[] };
  }

  get audience(): string {
    return this.env.OIDC_AUDIENCE ?? 'urn:lianluo:api';
  }

  get issuer(): string {
    return this.env.OIDC_ISSUER!;
  }

  static async start(options: ApiTestbedOptions = {}): Promise<ApiTestbed> {
    await ensureLocalInfra();
    const namespace = uniqueNamespace('api');
    await createTestDatabase(namespace);
    const dir = await mkdtemp(join(tmpdir(), 'lianluo-api-'));
    const seedFile = join(dir, 'seed.yaml');
    await writeFile(seedFile, stringify(seedDocument()));
    const port = await freePort();
    const env: Record<string, string> = {
      ...apiReplicaEnv({ namespace, port, jwks: generateSigningJwks(), cookieSecret: generateCookieSecret() }),
      OIDC_DESKTOP_REDIRECT_URIS: `http://127.0.0.1:${port}/app/callback`,
      API_SEED_FILE: seedFile,
      ...options.env,
    };
    const testbed = new ApiTestbed(namespace, dir, env);
    try {
      for (const service of options.services ?? []) env[`${service.toUpperCase()}_URL`] = await testbed.startService(service);
      await testbed.startReplica(port);
    } catch (error) {
      await testbed.stop();
      throw error;
    }
    return testbed;
  }

  /** Starts another api replica on the same database, namespace and keys (the first one's port by default). */
  async startReplica(port?: number): Promise<ServiceProcess> {
    const httpPort = port ?? (await freePort());
    const replica = new ServiceProcess(builtService('api'), { ...this.env, HTTP_PORT: String(httpPort) });
    this.replicas.push(replica);
    await replica.start();
    return replica;
  }

  /** Starts a service on the run's namespace and database (each service has its own schema); its URL. */
  private async startService(service: BackingService): Promise<string> {
    const own: Record<BackingService, () => Promise<Record<string, string>>> = {
      acd: async () => {
        const configFile = join(this.dir, 'acd.yaml');
        await writeFile(configFile, stringify(acdDocument()));
        return { REDIS_KEY_PREFIX: this.namespace, ACD_CONFIG_FILE: configFile };
      },
      ivr: async () => {
        const flows = join(this.dir, 'flows');
        await mkdir(flows, { recursive: true });
        return { FLOWS_DIR: flows };
      },
      voicemail: async () => ({ RECORDING_STORE: 'local', RECORDING_DIR: join(this.dir, 'recordings') }),
      reporting: async () => ({}),
    };
    const process = new ServiceProcess(builtService(service), {
      NATS_NAMESPACE: this.namespace,
      DATABASE_URL: `${TEST_POSTGRES_SERVER}/${this.namespace}`,
      DATABASE_POOL_SIZE: '2',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ...serviceAuthEnv(),
      ...(await own[service]()),
    });
    this.services.push(process);
    await process.start();
    return process.url;
  }

  /** A browser client of the desktop app at this api's provider. */
  browser(): BrowserSignIn {
    return new BrowserSignIn({ issuer: this.issuer, clientId: DESKTOP, redirectUri: this.env.OIDC_DESKTOP_REDIRECT_URIS! });
  }

  /** Tokens of a person, signed in once per test bed through the browser flow. */
  tokensOf(who: Person | 'ops', tenant: Tenant = 'acme'): Promise<TokenSet> {
    const login = who === 'ops' ? 'ops' : loginOf(who, tenant);
    const key = login;
    let tokens = this.tokens.get(key);
    if (!tokens) {
      tokens = this.browser().signIn(login, who === 'ops' ? passwordOf('ops', 'platform') : passwordOf(who, tenant));
      this.tokens.set(key, tokens);
    }
    return tokens;
  }

  async accessTokenOf(who: Person | 'ops', tenant: Tenant = 'acme'): Promise<string> {
    return (await this.tokensOf(who, tenant)).access_token;
  }

  /**
   * An access token for a person, signed with the provider's own key without a sign-in: one
   * that expires after `expiresInSeconds`, which a sign-in cannot ask for.
   */
  signedToken(who: Person, tenant: Tenant, expiresInSeconds: number): string {
    const person: { roles: readonly string[]; agentId?: string } = PEOPLE[who];
    return signAccessToken(this.signingKeys, {
      issuer: this.issuer,
      audience: this.audience,
      subject: loginOf(who, tenant),
      tenant,
      roles: person.roles,
      ...(person.agentId === undefined ? {} : { agentId: person.agentId }),
      expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds,
    });
  }

  /** A tool's access token (client credentials) for a tenant. */
  async toolToken(tenant: Tenant = 'acme'): Promise<string> {
    const response = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`crm-${tenant}:${TOOL_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=api',
    });
    if (!response.ok) throw new Error(`client credentials refused: ${response.status} ${await response.text()}`);
    return ((await response.json()) as TokenSet).access_token;
  }

  /** A request to the api, with a bearer token when given; the body as JSON. */
  request(method: string, path: string, token?: string, body?: unknown, replica = this.replicas[0]!): Promise<Response> {
    return fetch(`${replica.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.stop();
    for (const service of this.services) await service.stop();
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: this.namespace, connectionName: 'api-test-cleanup', queueGroup: 'api-test-cleanup' });
    await deleteNamespaceStreams(connection);
    await connection.close();
    await deleteRedisNamespace(this.namespace);
    await dropTestDatabase(this.namespace);
    await rm(this.dir, { recursive: true, force: true });
  }
}
