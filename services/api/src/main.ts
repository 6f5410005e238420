import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { apiConfigSchema } from './api.config';
import { startApi } from './api.app';

const config = loadConfigOrExit(apiConfigSchema);
startTracing({ serviceName: config.SERVICE_NAME ?? 'api' });
void startApi(config);
