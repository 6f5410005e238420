// `npx tsx scripts/api-oidc-keys.ts <folder>`: the secrets of api's embedded OpenID provider, for
// a cluster (deploy/helm/lianluo/README.md, "The api"): a private JWK Set (one Ed25519 key) that
// signs people's tokens, and a secret that signs its cookies. Prints the `kubectl create secret`
// line that puts them where the chart's api.oidc.existingSecret reads them. To rotate, put a new
// key first in the set (old ones still verify) and a new cookie secret first in the list.
import { generateCookieSecret, generateSigningJwks } from '@lianluo/testing';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The file names are the keys the chart reads by default (api.oidc.signingKeysKey, cookieSecretsKey). */
const SIGNING_KEYS_FILE = 'oidc-signing-keys.jwks.json';
const COOKIE_SECRETS_FILE = 'oidc-cookie-secrets';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) {
    console.error(`usage: npx tsx scripts/api-oidc-keys.ts <folder>  (writes ${SIGNING_KEYS_FILE} and ${COOKIE_SECRETS_FILE} there)`);
    process.exit(2);
  }
  const signingKeys = generateSigningJwks();
  const signingKeysFile = resolve(join(folder, SIGNING_KEYS_FILE));
  const cookieSecretsFile = resolve(join(folder, COOKIE_SECRETS_FILE));
  // wx: never overwrite keys that may be in use. No newline after the cookie secret: the file is the variable's value.
  await writeFile(signingKeysFile, JSON.stringify(signingKeys) + '\n', { mode: 0o600, flag: 'wx' });
  await writeFile(cookieSecretsFile, generateCookieSecret(), { mode: 0o600, flag: 'wx' });
  console.log(`signing key ${signingKeys.keys[0]?.kid} (keep both files secret)
  private JWK Set (OIDC_SIGNING_KEYS):  ${signingKeysFile}
  cookie secret (OIDC_COOKIE_SECRETS):  ${cookieSecretsFile}
then, with api.oidc.existingSecret=lianluo-api-oidc:
  kubectl -n <namespace> create secret generic lianluo-api-oidc --from-file=${signingKeysFile} --from-file=${cookieSecretsFile}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
