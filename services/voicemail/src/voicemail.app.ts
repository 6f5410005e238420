import { type Clock } from '@lianluo/call-client';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type VoicemailConfig } from './voicemail.config';
import { VoicemailModule } from './voicemail.module';

/** Builds and starts a voicemail replica: take_call, call event consumers, HTTP. */
export async function startVoicemail(config: VoicemailConfig, clock?: Clock): Promise<INestApplication> {
  const app = await NestFactory.create(VoicemailModule.forConfig(config, clock), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
