import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { type Clock } from './clock';
import { type ReportingConfig } from './reporting.config';
import { ReportingModule } from './reporting.module';

/** Builds and starts a reporting replica: consumers, reports API, metrics and health. */
export async function startReporting(config: ReportingConfig, clock?: Clock): Promise<INestApplication> {
  const app = await NestFactory.create(ReportingModule.forConfig(config, clock), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('Lianluo reporting')
    .setDescription('Reports over the event store: service level, ASA, AHT, abandons, agent states, customer history. JSON or CSV.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "api's service token for reporting (EdDSA, one minute)" })
    .build();
  SwaggerModule.setup('api-docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api-docs/openapi.json' });
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
