const NOT_METRICS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions,
 * aggregations or keywords, outside strings, label matchers, ranges and grouping lists.
 */
export function metricNamesOf(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = text.slice((match.index ?? 0) + match[0].length).trimStart();
    if (after.startsWith('(') || NOT_METRICS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** Grafana's variables as the dashboard test fills them: every tenant, queue and site; a one-minute rate window. */
export function withVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '1m').replace(/\$\{?(tenant|queue|site)\}?/g, '.*');
}

export interface DashboardPanel {
  readonly title: string;
  readonly targets?: { readonly expr?: string }[];
  readonly panels?: DashboardPanel[];
}

/** Every query of a dashboard with the title of its panel (rows' panels included). */
export function panelQueries(dashboard: { panels: DashboardPanel[] }): { panel: string; expr: string }[] {
  return dashboard.panels.flatMap((panel) => [
    ...(panel.targets ?? []).filter((target) => target.expr).map((target) => ({ panel: panel.title, expr: target.expr as string })),
    ...panelQueries({ panels: panel.panels ?? [] }),
  ]);
}

/** The names a dashboard's queries read that are not in `exported`: each one fails the dashboard test. */
export function unknownMetrics(dashboard: { panels: DashboardPanel[] }, exported: ReadonlySet<string>): { panel: string; metric: string }[] {
  return panelQueries(dashboard).flatMap(({ panel, expr }) =>
    metricNamesOf(expr)
      .filter((name) => !exported.has(name))
      .map((metric) => ({ panel, metric })),
  );
}
