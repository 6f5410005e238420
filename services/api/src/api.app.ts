import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, text, urlencoded } from 'express';
import { Logger } from 'nestjs-pino';
import type { Provider } from 'oidc-provider' with { 'resolution-mode': 'import' };
import { type ApiConfig, embeddedIssuer } from './api.config';
import { ApiModule } from './api.module';
import { OIDC_PROVIDER } from './identity/oidc-provider.token';

/** Where the embedded provider is mounted: the path of OIDC_ISSUER. */
function providerMount(config: ApiConfig): string {
  return new URL(embeddedIssuer(config)).pathname.replace(/\/$/, '') || '/';
}

/** Builds and starts an api replica: the provider under its issuer path, then the REST routes. */
export async function startApi(config: ApiConfig): Promise<INestApplication> {
  // Bodies are parsed here, after the provider, which reads its own requests' bodies.
  const app = await NestFactory.create(ApiModule.forConfig(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  if (!config.OIDC_EXTERNAL_ISSUER) {
    const provider = app.get<Provider>(OIDC_PROVIDER);
    app.use(providerMount(config), provider.callback());
  }
  app.use(json({ limit: '1mb' }));
  app.use(urlencoded({ extended: false, limit: '64kb' }));
  // Configuration documents (import): YAML as text, up to acd's 4 MB.
  app.use(text({ type: ['text/yaml', 'application/yaml', 'application/x-yaml'], limit: '4mb' }));
  const openApi = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Lianluo api')
    .setDescription('The edge for people and tools. Sign in at the OpenID provider (`/oidc`), send the access token as a bearer token.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('v1/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'v1/openapi.json' });
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
