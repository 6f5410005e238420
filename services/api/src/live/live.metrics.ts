import { registeredMetric } from '@lianluo/observability';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

/** Why an event was not pushed to a client that follows its feed. */
export type DroppedReason = 'slow_client' | 'unknown' | 'undecodable' | 'foreign_tenant';

/** What the live connections of this replica do, on /metrics. */
@Injectable()
export class LiveMetrics {
  readonly clients = registeredMetric(
    'lianluo_api_live_clients',
    () => new Gauge({ name: 'lianluo_api_live_clients', help: 'WebSocket clients connected to this replica, by feed.', labelNames: ['feed'] as const }),
  );
  readonly pushed = registeredMetric(
    'lianluo_api_live_events_pushed_total',
    () =>
      new Counter({
        name: 'lianluo_api_live_events_pushed_total',
        help: 'Events sent to WebSocket clients (one per client), live or replayed after a reconnect.',
        labelNames: ['domain', 'mode'] as const,
      }),
  );
  readonly dropped = registeredMetric(
    'lianluo_api_live_events_dropped_total',
    () =>
      new Counter({
        name: 'lianluo_api_live_events_dropped_total',
        help: 'Events not pushed: to a client too slow to take them (it is disconnected and resumes from its cursor), or unreadable ones, to nobody.',
        labelNames: ['domain', 'reason'] as const,
      }),
  );
  readonly refused = registeredMetric(
    'lianluo_api_live_connections_refused_total',
    () => new Counter({ name: 'lianluo_api_live_connections_refused_total', help: 'WebSocket upgrades refused, by HTTP status.', labelNames: ['status'] as const }),
  );
}
