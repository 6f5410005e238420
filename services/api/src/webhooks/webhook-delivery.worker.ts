import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { type RetrySchedule, retryDelayMs } from './retry-schedule';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { type AttemptOutcome, type ClaimedDelivery } from './webhook-delivery';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookOutbox } from './webhook-outbox';
import { type SendOutcome, type SendRules, sendWebhook } from './webhook-sender';
import { signatureHeaders } from './webhook-signature';

/** Beyond the attempt's own timeout, what the lease allows for signing and recording. */
const LEASE_MARGIN_MS = 1_000;
/** How often a replica forgets finished deliveries past their retention. */
const PURGE_EVERY_MS = 3_600_000;

/** What an attempt's answer means for its delivery, given the schedule. */
export function attemptOutcomeOf(sent: SendOutcome, attempt: number, schedule: RetrySchedule): AttemptOutcome {
  if (sent.ok) return { kind: 'delivered', statusCode: sent.statusCode };
  const retryInMs = retryDelayMs(schedule, attempt);
  return retryInMs === undefined ? { kind: 'dead', statusCode: sent.statusCode, failure: sent.reason } : { kind: 'retry', retryInMs, statusCode: sent.statusCode, failure: sent.reason };
}

/**
 * Each replica's worker: claims due deliveries from the outbox, up to WEBHOOK_CONCURRENCY at
 * a time, signs and sends each, and records its outcome. It looks again when an event was
 * put in the outbox here (nudge), when an attempt ends, and every WEBHOOK_POLL_MS for
 * retries coming due and other replicas' events.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly schedule: RetrySchedule;
  private readonly rules: SendRules;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A nudge that came while the loop was not pausing: the next pause ends at once. */
  private nudged = false;
  private lastPurgeMs = 0;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly metrics: WebhookMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.schedule = { delaysMs: config.WEBHOOK_RETRY_DELAYS_MS, jitter: config.WEBHOOK_RETRY_JITTER };
    this.rules = { allowHttp: config.WEBHOOK_ALLOW_HTTP, policy: new WebhookAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS), timeoutMs: config.WEBHOOK_TIMEOUT_MS };
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and lets the attempts in flight end, before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  /** Something may be due now: look without waiting for the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.inFlight.size >= this.config.WEBHOOK_CONCURRENCY) {
        await Promise.race(this.inFlight);
        continue;
      }
      let claimed: ClaimedDelivery | undefined;
      try {
        await this.purgeNowAndThen();
        claimed = await this.outbox.claim(this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS);
      } catch (error) {
        this.logger.error({ err: error }, 'webhook outbox unavailable');
      }
      if (!claimed) {
        await this.pause();
        continue;
      }
      const attempt: Promise<void> = this.attempt(claimed).finally(() => {
        this.inFlight.delete(attempt);
        this.nudge(); // the next delivery of its subject may be free now
      });
      this.inFlight.add(attempt);
    }
  }

  private pause(): Promise<void> {
    if (this.nudged || !this.running) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.nudged = false;
        resolve();
      };
      const timer = setTimeout(done, this.config.WEBHOOK_POLL_MS);
      this.wake = done;
    });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const attemptedAt = new Date();
    const started = performance.now();
    try {
      const headers = {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'Lianluo-Webhooks/1',
        ...signatureHeaders(delivery.deliveryId, delivery.body, delivery.secrets, attemptedAt),
      };
      const sent = await sendWebhook(delivery.url, headers, delivery.body, this.rules);
      const durationMs = performance.now() - started;
      const outcome = attemptOutcomeOf(sent, delivery.attempt, this.schedule);
      this.metrics.attempts.inc({ outcome: outcome.kind, reason: outcome.kind === 'delivered' ? '' : outcome.failure });
      this.metrics.attemptSeconds.observe({ outcome: outcome.kind }, durationMs / 1000);
      if (!(await this.outbox.record(delivery, attemptedAt, durationMs, outcome))) {
        this.logger.warn({ deliveryId: delivery.deliveryId, attempt: delivery.attempt }, 'webhook attempt outcome not recorded: its lease ran out, or its subscription is gone');
      }
    } catch (error) {
      // The lease runs out and the delivery is attempted again.
      this.logger.error({ err: error, deliveryId: delivery.deliveryId }, 'webhook attempt could not be recorded');
    }
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurgeMs < PURGE_EVERY_MS) return;
    this.lastPurgeMs = now;
    const purged = await this.outbox.purgeFinished(this.config.WEBHOOK_LOG_RETENTION_DAYS);
    if (purged > 0) this.logger.log({ purged }, 'finished webhook deliveries forgotten');
  }
}
