import { Controller, Get, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceAuthModule } from './service-auth.module';
import { bearerTokenOf, ServiceIdentityGuard } from './service-identity.guard';
import { generateServiceKeys } from './service-keys';
import { ServiceTokenSigner } from './service-token-signer';

const api = generateServiceKeys();

@UseGuards(ServiceIdentityGuard)
@Controller('callbacks')
class CallbacksController {
  @Get()
  list() {
    return { callbacks: [] };
  }
}

@Controller('health')
class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

describe('ServiceIdentityGuard', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    @Module({ imports: [ServiceAuthModule.forRoot({ audience: 'acd', publicKeys: api.publicJwks })], controllers: [CallbacksController, HealthController] })
    class AcdModule {}
    app = await NestFactory.create(AcdModule, { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string, authorization?: string) => fetch(`${baseUrl}${path}`, { headers: authorization ? { authorization } : {} });

  it('lets a request with api’s token for this service through', async () => {
    const response = await get('/callbacks', await new ServiceTokenSigner({ privateKey: api.privateJwk }).authorizationFor('acd'));
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { callbacks: [] } });
  });

  it('answers 401 with a JSON error and a Bearer challenge when there is no token', async () => {
    const response = await get('/callbacks');
    expect({ status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() }).toEqual({
      status: 401,
      challenge: 'Bearer',
      body: { error: 'unauthorized', message: 'a bearer token from api is required' },
    });
  });

  it('answers 401 naming no check or key when the token is another service’s', async () => {
    const response = await get('/callbacks', await new ServiceTokenSigner({ privateKey: api.privateJwk }).authorizationFor('ivr'));
    expect({ status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() }).toEqual({
      status: 401,
      challenge: 'Bearer error="invalid_token"',
      body: { error: 'unauthorized', message: 'the service token is not valid for this service' },
    });
  });

  it('leaves the controllers it is not put on open', async () => {
    expect((await get('/health/live')).status).toBe(200);
  });
});

describe('bearerTokenOf', () => {
  it('takes the token of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', ['Bearer a', 'Bearer b']])('finds no token in %p', (header) => {
    expect(bearerTokenOf(header)).toBeUndefined();
  });
});
