// One api replica of bench/api.bench.ts in a process of its own, as deployed: BENCH_AUTH=on is
// the api as built (token verified, policy checked); off is the same app with both guards set
// aside (the principal the token would give, put on the request). Says `ready <port>` when up.
// From the build (dist): Nest's injection needs the decorator metadata tsc emits.
import 'reflect-metadata';
import { loadConfig } from '@lianluo/config';
import { type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { apiConfigSchema } from '../../services/api/dist/api.config';
import { ApiModule } from '../../services/api/dist/api.module';
import { AuthGuard } from '../../services/api/dist/auth/auth.guard';
import { PolicyGuard } from '../../services/api/dist/policy/policy.guard';

const PRINCIPAL = { subject: 'bench-agent', tenant: 'bench', roles: ['agent'], agentId: 'li' };

const trusting: CanActivate = {
  canActivate(context: ExecutionContext) {
    context.switchToHttp().getRequest<{ principal?: unknown }>().principal = PRINCIPAL;
    return true;
  },
};

async function main(): Promise<void> {
  const config = loadConfig(apiConfigSchema, process.env);
  let builder = Test.createTestingModule({ imports: [ApiModule.forConfig(config)] });
  if (process.env.BENCH_AUTH === 'off') builder = builder.overrideProvider(AuthGuard).useValue(trusting).overrideProvider(PolicyGuard).useValue({ canActivate: () => true });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(config.HTTP_PORT, '127.0.0.1');
  process.send?.(`ready ${config.HTTP_PORT}`);
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
