import { configSchema, envInteger, envList, httpConfig, logConfig, natsConfig, serviceIdentity } from '@lianluo/config';
import { postgresConfig } from '@lianluo/postgres';
import { serviceAuthConfig } from '@lianluo/service-auth';
import { z } from 'zod';

const mediaUri = z.string().regex(/^[a-z]+:.+/, { error: 'must be a media URI such as sound:queue-thankyou' });

/** Sessions outlive their replica: the owner beats, and a session not heard of for a while is taken over. */
const sessionTiming = z
  .object({
    /** How often a replica tells PostgreSQL its sessions are alive. */
    SESSION_HEARTBEAT_MS: envInteger({ min: 100, max: 60_000 }).default(2_000),
    /**
     * Sessions whose replica has not been heard of for this long are taken over by another
     * (a waiting caller gets the wait in queue again; one in the flow starts it again).
     */
    SESSION_STALE_MS: envInteger({ min: 500, max: 600_000 }).default(10_000),
  })
  .refine((c) => c.SESSION_STALE_MS >= 2 * c.SESSION_HEARTBEAT_MS, { error: 'must be at least twice SESSION_HEARTBEAT_MS, or live sessions are taken over', path: ['SESSION_STALE_MS'] });

/** Environment of an ivr replica; every variable is checked at start-up. */
export const ivrConfigSchema = configSchema(serviceIdentity, natsConfig, httpConfig(3003), logConfig, postgresConfig, serviceAuthConfig, sessionTiming, {
  /** The folder of flow files (one YAML file per flow); changes are applied without restart. */
  FLOWS_DIR: z.string().trim().min(1, { error: 'must name the folder of flow files' }),
  /** How long a call or acd command may take to be answered. */
  COMMAND_TIMEOUT_MS: envInteger({ min: 500, max: 60_000 }).default(5_000),
  /** How long a call.started may stay unacknowledged before JetStream delivers it again. */
  EVENT_ACK_WAIT_MS: envInteger({ min: 1_000, max: 600_000 }).default(30_000),
  /** Played when a call comes in on a number no flow answers, before hanging up. */
  NO_FLOW_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:ss-noservice']),
  /** Said before the position ("you are caller number"), and before the expected wait. */
  POSITION_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:queue-thereare']),
  POSITION_AFTER_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:queue-callswaiting']),
  WAIT_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:queue-holdtime']),
  WAIT_AFTER_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:queue-minutes']),
  /** The periodic offer while waiting: "to leave a message press", then the key. */
  VOICEMAIL_OFFER_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:vm-leavemsg', 'sound:vm-press']),
  CALLBACK_OFFER_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:vm-tocallback']),
  /** Played once a callback is booked, before hanging up. */
  CALLBACK_BOOKED_PROMPT: envList(mediaUri, { min: 1 }).default(['sound:auth-thankyou', 'sound:goodbye']),
  /** How long a replica asked to stop lets the flows in progress reach a queue (set the pod's grace period above it). */
  SHUTDOWN_GRACE_MS: envInteger({ min: 0, max: 3_600_000 }).default(10_000),
});

export type IvrConfig = z.output<typeof ivrConfigSchema>;
export const IVR_CONFIG = Symbol('IvrConfig');
