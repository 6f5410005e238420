// `npx tsx scripts/service-keys.ts <folder>`: a new key pair for api's service identity, for a
// cluster (deploy/helm/lianluo/README.md): the private JWK for api's Secret, and the public JWK
// Set every service is given. Run it again and list both public keys to rotate.
import { generateServiceKeys } from '@lianluo/service-auth';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: npx tsx scripts/service-keys.ts <folder>  (writes service-auth-private.jwk.json and service-auth-public.jwks.json there)');
    process.exit(2);
  }
  const keys = generateServiceKeys();
  const privateFile = resolve(join(folder, 'service-auth-private.jwk.json'));
  const publicFile = resolve(join(folder, 'service-auth-public.jwks.json'));
  // wx: never overwrite a key that may be in use.
  await writeFile(privateFile, JSON.stringify(keys.privateJwk) + '\n', { mode: 0o600, flag: 'wx' });
  await writeFile(publicFile, JSON.stringify(keys.publicJwks) + '\n', { flag: 'wx' });
  console.log(`key ${keys.privateJwk.kid}
  private (api's SERVICE_AUTH_PRIVATE_KEY, keep it secret): ${privateFile}
  public  (every service's SERVICE_AUTH_PUBLIC_KEYS):        ${publicFile}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
