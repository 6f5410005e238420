import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AcdConfig } from './acd.config';
import { AcdModule, type AcdModuleOptions } from './acd.module';
import { readConfigurationFile } from './configuration/configuration.service';

/** Builds and starts an acd replica with its HTTP side (metrics, health). */
export async function startAcd(config: AcdConfig, options: AcdModuleOptions = {}): Promise<INestApplication> {
  // A broken configuration file stops the replica before it connects to anything.
  if (config.ACD_CONFIG_FILE) await readConfigurationFile(config.ACD_CONFIG_FILE);
  const app = await NestFactory.create(AcdModule.forConfig(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
