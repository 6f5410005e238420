// What our services' /metrics say happened during a phase: error outcomes of message
// handlers, ivr sessions by outcome, and time spent in each handler.

/** Prometheus text → sample value by series (`name{labels}`). */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const split = line.lastIndexOf(' ');
    const value = Number(line.slice(split + 1));
    if (Number.isFinite(value)) samples.set(line.slice(0, split), value);
  }
  return samples;
}

/** Handler outcomes that are no problem: done, or a command for the other site's gateway. */
const FINE_OUTCOMES = new Set(['ok', 'not_mine']);

export interface HandlerTime {
  /** `service domain.kind.name`. */
  readonly handler: string;
  readonly count: number;
  readonly totalSeconds: number;
  readonly meanMs: number;
}

export interface MetricsDelta {
  /** Counts of error outcomes, rejections and dead letters, by `service series`. */
  readonly errors: Readonly<Record<string, number>>;
  /** ivr sessions ended, by outcome. */
  readonly ivrSessions: Readonly<Record<string, number>>;
  /** Message handlers by total time spent in them, longest first. */
  readonly handlers: readonly HandlerTime[];
}

const labelOf = (series: string, label: string) => new RegExp(`${label}="([^"]*)"`).exec(series)?.[1] ?? '';

/** The change of each service's counters between two scrapes (service name → /metrics text). */
export function metricsDelta(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): MetricsDelta {
  const errors: Record<string, number> = {};
  const ivrSessions: Record<string, number> = {};
  const handlers: HandlerTime[] = [];
  for (const [service, text] of Object.entries(after)) {
    const then = parseMetrics(before[service] ?? '');
    const now = parseMetrics(text);
    const delta = (series: string) => (now.get(series) ?? 0) - (then.get(series) ?? 0);
    for (const series of now.keys()) {
      const change = delta(series);
      if (change === 0) continue;
      const name = series.split('{')[0];
      if (name === 'lianluo_messages_handled_total' && !FINE_OUTCOMES.has(labelOf(series, 'outcome'))) errors[`${service} ${series}`] = change;
      else if (name === 'lianluo_messages_rejected_total' || name === 'lianluo_messages_dead_lettered_total') errors[`${service} ${series}`] = change;
      else if (name === 'lianluo_ivr_sessions_ended_total') ivrSessions[labelOf(series, 'outcome')] = (ivrSessions[labelOf(series, 'outcome')] ?? 0) + change;
      else if (name === 'lianluo_message_handler_duration_seconds_sum') {
        const count = delta(series.replace('_sum{', '_count{'));
        const handler = `${service} ${labelOf(series, 'domain')}.${labelOf(series, 'kind')}.${labelOf(series, 'name')}`;
        handlers.push({ handler, count, totalSeconds: change, meanMs: count > 0 ? (change / count) * 1000 : 0 });
      }
    }
  }
  handlers.sort((a, b) => b.totalSeconds - a.totalSeconds);
  return { errors, ivrSessions, handlers };
}
