import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { reportingConfigSchema } from './reporting.config';
import { startReporting } from './reporting.app';

const config = loadConfigOrExit(reportingConfigSchema);
startTracing({ serviceName: config.SERVICE_NAME ?? 'reporting' });
void startReporting(config);
