import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { startIvr } from './ivr.app';
import { ivrConfigSchema } from './ivr.config';

const config = loadConfigOrExit(ivrConfigSchema);
startTracing({ serviceName: config.SERVICE_NAME ?? 'ivr' });
void startIvr(config);
