import { type Clock } from '@lianluo/call-client';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type IvrConfig } from './ivr.config';
import { IvrModule } from './ivr.module';

/** Builds and starts an ivr replica: call.started consumer, flows, customer records over HTTP. */
export async function startIvr(config: IvrConfig, clock?: Clock): Promise<INestApplication> {
  const app = await NestFactory.create(IvrModule.forConfig(config, clock), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
