import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { acdConfigSchema } from './acd.config';
import { startAcd } from './acd.app';

const config = loadConfigOrExit(acdConfigSchema);
startTracing({ serviceName: 'acd' });
void startAcd(config);
