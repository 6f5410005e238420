// `npm run service-token -- <service>`: a token of api's for a service of the running local
// stack, signed with the stack's key, to call its routes by hand:
//   curl -H "authorization: Bearer $(npm run -s service-token -- reporting)" http://127.0.0.1:3005/reports/...
import { readRunningStack } from './local-stack/running-stack';
import { readServiceKeys, stackSigner } from './local-stack/stack-service-keys';
import { stateDirOf } from './local-stack/stack-settings';

const SERVICES_WITH_ROUTES = ['acd', 'ivr', 'voicemail', 'reporting'];

async function main(): Promise<void> {
  const service = process.argv[2] ?? '';
  if (!SERVICES_WITH_ROUTES.includes(service)) {
    console.error(`usage: npm run -s service-token -- <${SERVICES_WITH_ROUTES.join('|')}>  (a minute-long token of api's for that service)`);
    process.exit(2);
  }
  const stateDir = stateDirOf();
  await readRunningStack(stateDir);
  console.log(await stackSigner(await readServiceKeys(stateDir)).tokenFor(service));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
