import { registeredMetric } from '@lianluo/observability';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => registeredMetric(name, () => new Counter<L>({ name, help, labelNames }));

/** What the live connections of this replica do, on /metrics. */
@Injectable()
export class LiveMetrics {
  readonly clients = registeredMetric(
    'lianluo_api_live_clients',
    () => new Gauge({ name: 'lianluo_api_live_clients', help: 'WebSocket clients connected to this replica, by feed.', labelNames: ['feed'] as const }),
  );
  readonly pushed = counter('lianluo_api_live_events_pushed_total', 'Events sent to WebSocket clients (one per client), live or replayed after a reconnect.', ['domain', 'mode'] as const);
  readonly dropped = counter(
    'lianluo_api_live_events_dropped_total',
    'Events not pushed: to a client too slow to take them (it is disconnected and resumes from its cursor), or unreadable ones, to nobody.',
    ['domain', 'reason'] as const,
  );
  readonly refused = counter('lianluo_api_live_connections_refused_total', 'WebSocket upgrades refused, by HTTP status.', ['status'] as const);
}
