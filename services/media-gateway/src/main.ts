import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { mediaGatewayConfigSchema } from './media-gateway.config';
import { startMediaGateway } from './media-gateway.app';

const config = loadConfigOrExit(mediaGatewayConfigSchema);
startTracing({ serviceName: 'media-gateway', site: config.SITE });
void startMediaGateway(config);
