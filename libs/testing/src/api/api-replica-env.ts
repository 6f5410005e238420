import { TEST_POSTGRES_SERVER } from '../infra/test-database';
import { apiServiceAuthEnv } from '../service-auth/test-service-identity';

/**
 * The environment of an api replica on this machine's infra, as tests and benches start it
 * (`ServiceProcess(builtService('api'), …)`): the run's own NATS namespace and database (named
 * alike), its HTTP port, the embedded provider at `/oidc` signing with `jwks`, and the test
 * key it signs its service tokens with (`apiServiceAuthEnv`). Replicas given
 * the same environment but HTTP_PORT are one api, whose issuer is the first one's.
 */
export function apiReplicaEnv(options: { namespace: string; port: number; jwks: { keys: Record<string, string>[] }; cookieSecret: string }): Record<string, string> {
  return {
    NATS_NAMESPACE: options.namespace,
    DATABASE_URL: `${TEST_POSTGRES_SERVER}/${options.namespace}`,
    DATABASE_POOL_SIZE: '4',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(options.port),
    OIDC_ISSUER: `http://127.0.0.1:${options.port}/oidc`,
    OIDC_SIGNING_KEYS: JSON.stringify(options.jwks),
    OIDC_COOKIE_SECRETS: options.cookieSecret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...apiServiceAuthEnv(),
  };
}
