import { configSchema, envInteger, envList, httpConfig, logConfig, natsConfig, serviceIdentity } from '@lianluo/config';
import { MESSAGE_LIMITS } from '@lianluo/contracts';
import { postgresConfig } from '@lianluo/postgres';
import { recordingStoreConfig } from '@lianluo/recording-store';
import { serviceAuthConfig } from '@lianluo/service-auth';
import { z } from 'zod';

const mediaUri = z.string().regex(/^[a-z]+:.+/, { error: 'must be a media URI such as sound:vm-intro' });

/** Environment of a voicemail replica; every variable is checked at start-up. */
export const voicemailConfigSchema = configSchema(serviceIdentity, natsConfig, httpConfig(3004), logConfig, postgresConfig, recordingStoreConfig, serviceAuthConfig, {
  /** Played when neither take_call, the queue nor the tenant names a greeting. */
  DEFAULT_GREETING: envList(mediaUri, { min: 1 }).default(['sound:vm-intro']),
  /** Message length and silence stop when take_call leaves them at 0. */
  MAX_MESSAGE_MS: envInteger(MESSAGE_LIMITS.maxMessageMs).default(120_000),
  SILENCE_STOP_MS: envInteger(MESSAGE_LIMITS.silenceStopMs).default(5_000),
  /** A take shorter than this is no message: the caller is asked to try again. */
  MIN_MESSAGE_MS: envInteger({ min: 0, max: 10_000 }).default(1_000),
  /**
   * Where Asterisk fetches a take to play it back during review (`sound:<url>`, which needs
   * Asterisk's res_http_media_cache): this service's HTTP address as Asterisk sees it, e.g.
   * http://voicemail:3004. The URL is signed and expires (takes/take-url.ts). Unset, review
   * offers re-record and confirm only.
   */
  MEDIA_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** How long a call command (answer, play, record...) may take to be answered. */
  COMMAND_TIMEOUT_MS: envInteger({ min: 500, max: 60_000 }).default(5_000),
  /**
   * How long a call event may stay unacknowledged before JetStream delivers it again: after
   * a replica dies, the call endings it held wait this long. Redelivery is harmless.
   */
  EVENT_ACK_WAIT_MS: envInteger({ min: 1_000, max: 600_000 }).default(30_000),
  /** How long a replica asked to stop lets the flows in progress finish (set the pod's grace period above it). */
  SHUTDOWN_GRACE_MS: envInteger({ min: 0, max: 3_600_000 }).default(30_000),
  /** How often the outbox is swept for messages a dead replica left unpublished. */
  OUTBOX_SWEEP_MS: envInteger({ min: 100, max: 600_000 }).default(2_000),
});

export type VoicemailConfig = z.output<typeof voicemailConfigSchema>;
export const VOICEMAIL_CONFIG = Symbol('VoicemailConfig');
