// The dashboard files themselves, as Grafana's provisioning reads them.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DashboardPanel, panelQueries } from './promql-metric-names';

const DIR = resolve(__dirname, '..', '..', '..', 'deploy', 'grafana', 'dashboards');
const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));

interface Dashboard {
  uid: string;
  title: string;
  templating: { list: { name: string; type: string }[] };
  panels: (DashboardPanel & { id: number; gridPos: { x: number; w: number }; datasource: { uid: string } })[];
}

const dashboards = files.map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Dashboard }));

describe('Grafana dashboards', () => {
  it('are the four operations dashboards, each with its own uid', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual(['lianluo-agents', 'lianluo-queues-now', 'lianluo-service-level', 'lianluo-system-health']);
  });

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))('%s: every panel queries the chosen Prometheus and fits the grid', (_file, dashboard) => {
    expect(dashboard.templating.list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'datasource', type: 'datasource' })]));
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect({ title: panel.title, datasource: panel.datasource.uid, fits: panel.gridPos.x + panel.gridPos.w <= 24 }).toEqual({ title: panel.title, datasource: '${datasource}', fits: true });
    }
    expect(panelQueries(dashboard).length).toBeGreaterThanOrEqual(dashboard.panels.length);
  });
});
