import { metricNamesOf, unknownMetrics, withVariables } from './promql-metric-names';

describe('metricNamesOf', () => {
  it('finds the metrics of an expression, not its functions, labels, keywords or ranges', () => {
    expect(
      metricNamesOf('histogram_quantile(0.99, sum by (service, le) (rate(lianluo_message_handler_duration_seconds_bucket{service!="x"}[$__rate_interval])))'),
    ).toEqual(['lianluo_message_handler_duration_seconds_bucket']);
    expect(metricNamesOf('sum by (site) (max by (tenant, site, state) (lianluo_agents{state=~"busy|wrap-up"})) / sum(up) or vector(0)')).toEqual(['lianluo_agents', 'up']);
  });

  it('fills Grafana variables with match-everything values', () => {
    expect(withVariables('rate(x{queue=~"$queue", tenant=~"${tenant}"}[$__rate_interval])')).toBe('rate(x{queue=~".*", tenant=~".*"}[1m])');
  });

  it('flags a panel naming a metric no service exports', () => {
    const dashboard = { panels: [{ title: 'Made up', targets: [{ expr: 'sum(lianluo_no_such_metric) + sum(up)' }] }] };
    expect(unknownMetrics(dashboard, new Set(['up']))).toEqual([{ panel: 'Made up', metric: 'lianluo_no_such_metric' }]);
  });
});
