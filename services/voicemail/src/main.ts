import 'reflect-metadata';
import { loadConfigOrExit } from '@lianluo/config';
import { startTracing } from '@lianluo/observability';
import { voicemailConfigSchema } from './voicemail.config';
import { startVoicemail } from './voicemail.app';

const config = loadConfigOrExit(voicemailConfigSchema);
startTracing({ serviceName: config.SERVICE_NAME ?? 'voicemail' });
void startVoicemail(config);
