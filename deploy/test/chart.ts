// The chart as the tests render it: the project's helm (deploy/bin/helm), a copy of the chart
// with empty stand-ins for the bundled NATS, Redis and PostgreSQL charts (their repositories
// are not reachable here, and their manifests are theirs to test), and the manifests parsed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const HELM = resolve(__dirname, '..', 'bin', 'helm');
export const CHART_DIR = resolve(__dirname, '..', 'helm', 'lianluo');
export const EXAMPLES = {
  production: join(CHART_DIR, 'examples', 'two-site-production.yaml'),
  external: join(CHART_DIR, 'examples', 'external-services.yaml'),
};
/** What `--api-versions` adds so the Prometheus Operator's CRDs count as installed. */
export const WITH_PROMETHEUS_OPERATOR = ['--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'];

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function helm(args: readonly string[]): HelmResult {
  const result = spawnSync(HELM, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the chart (dashboards link followed) whose dependencies are empty charts of the versions Chart.yaml asks for. */
export class ChartCopy {
  readonly dir: string;
  private readonly parent: string;

  constructor(source = CHART_DIR) {
    this.parent = mkdtempSync(join(tmpdir(), 'lianluo-chart-'));
    this.dir = join(this.parent, 'lianluo');
    // Dependencies fetched by `helm dependency build` stay out: the stand-ins replace them.
    const fetched = join(source, 'charts');
    cpSync(source, this.dir, { recursive: true, dereference: true, filter: (path) => path !== fetched && !path.startsWith(`${fetched}/`) });
    const chart = parse(readFileSync(join(source, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string; version: string }[] };
    for (const dependency of chart.dependencies ?? []) {
      mkdirSync(join(this.dir, 'charts', dependency.name), { recursive: true });
      const version = dependency.version.replace(/^[~^]/, '');
      writeFileSync(join(this.dir, 'charts', dependency.name, 'Chart.yaml'), `apiVersion: v2\nname: ${dependency.name}\nversion: ${version}\n`);
    }
  }

  /** `helm template` of this copy; throws with helm's message when it fails. */
  render(args: readonly string[] = []): Manifest[] {
    const result = this.template(args);
    if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
    return parseManifests(result.stdout);
  }

  template(args: readonly string[] = []): HelmResult {
    return helm(['template', 'lianluo', this.dir, '--namespace', 'contact-centre', ...args]);
  }

  remove(): void {
    rmSync(this.parent, { recursive: true, force: true });
  }
}

export function parseManifests(yamlText: string): Manifest[] {
  return parseAllDocuments(yamlText)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`rendered YAML does not parse: ${document.errors[0]?.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Pod template spec of a workload manifest, if it is one. */
export function podSpecOf(manifest: Manifest): PodSpec | undefined {
  if (manifest.kind !== 'Deployment' && manifest.kind !== 'StatefulSet') return undefined;
  return (manifest.spec as { template: { spec: PodSpec } }).template.spec;
}

export interface PodSpec {
  readonly hostNetwork?: boolean;
  readonly nodeSelector?: Record<string, string>;
  readonly securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  readonly containers: Container[];
  readonly initContainers?: Container[];
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readonly resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly livenessProbe?: unknown;
  readonly readinessProbe?: unknown;
  readonly securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
}
