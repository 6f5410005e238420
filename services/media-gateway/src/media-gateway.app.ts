import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type MediaGatewayConfig } from './media-gateway.config';
import { MediaGatewayModule } from './media-gateway.module';

/** Builds and starts the HTTP side (metrics, health) of a media gateway for one site. */
export async function startMediaGateway(config: MediaGatewayConfig): Promise<INestApplication> {
  const app = await NestFactory.create(MediaGatewayModule.forConfig(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
