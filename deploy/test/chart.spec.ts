import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readmeWithTable } from '../helm/tools/values-table';
import { CHART_DIR, ChartCopy, EXAMPLES, helm, type Manifest, podSpecOf, WITH_PROMETHEUS_OPERATOR } from './chart';
import { schemaViolations, unknownFields } from './kubernetes-schemas';

/** The public keys of api's service identity (a key set whose private half is gone). */
const PUBLIC_KEYS_FILE = join(__dirname, 'fixtures', 'service-auth-public.jwks.json');
const SERVICE_KEYS = ['--set-file', `serviceAuth.publicKeys=${PUBLIC_KEYS_FILE}`];
/** Stand-ins of api's private keys (the chart checks their shape, not their maths) and a cookie secret. */
const API_SIGNING_KEYS = '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"x","d":"d-of-the-api-oidc-test-key","kid":"k"}]}';
const API_COOKIE_SECRETS = 'cookie-secret-of-the-chart-tests-0123456789';
const API_OIDC = ['--set', 'api.issuer=https://cc.example.com/oidc', '--set-json', `api.oidc.signingKeys=${JSON.stringify(API_SIGNING_KEYS)}`, '--set', `api.oidc.cookieSecrets=${API_COOKIE_SECRETS}`];
const API_SERVICE_KEY = ['--set-json', `serviceAuth.privateKey=${JSON.stringify('{"kty":"OKP","crv":"Ed25519","x":"x","d":"d","kid":"k"}')}`];
/** The values the chart cannot default: the service keys, and the issuer and keys of api's embedded OpenID provider. */
const REQUIRED = [...SERVICE_KEYS, ...API_SERVICE_KEY, ...API_OIDC];
const QUICK_START = [...REQUIRED, '--set', 'sites.bj.address=192.0.2.10', '--set', 'sites.bj.trunk.match={192.0.2.128/25}'];
const CASES = {
  'default values': REQUIRED,
  'default values with one site': QUICK_START,
  'the two-site production example': ['-f', EXAMPLES.production, ...WITH_PROMETHEUS_OPERATOR],
  'the external-services example': ['-f', EXAMPLES.external],
} satisfies Record<string, string[]>;
type CaseName = keyof typeof CASES;

// Names of environment variables whose values must come from a Secret (as libs/config hides them),
// and those whose names only look so.
const SECRET_VARIABLE = /PASSWORD|SECRET|TOKEN|_KEYS?(_|$)/;
const NOT_SECRET = new Set(['REDIS_KEY_PREFIX', 'SERVICE_AUTH_PUBLIC_KEYS', 'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_SECONDS']);

let chart: ChartCopy;
const rendered = new Map<CaseName, Manifest[]>();

beforeAll(() => {
  chart = new ChartCopy();
  for (const [name, args] of Object.entries(CASES)) rendered.set(name as CaseName, chart.render(args));
});
afterAll(() => chart.remove());

function manifestsOf(name: CaseName): Manifest[] {
  return rendered.get(name)!;
}

function findIn(manifests: Manifest[], kind: string, name: string): Manifest {
  const manifest = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!manifest) throw new Error(`no ${kind} ${name} was rendered`);
  return manifest;
}

/** The first container's environment: name → value, or its valueFrom. */
function envOf(manifest: Manifest): Record<string, unknown> {
  return Object.fromEntries((podSpecOf(manifest)?.containers[0]?.env ?? []).map((variable) => [variable.name, variable.value ?? variable.valueFrom]));
}

function workloads(manifests: Manifest[]) {
  return manifests.flatMap((manifest) => {
    const pod = podSpecOf(manifest);
    return pod ? [{ manifest, pod }] : [];
  });
}

describe.each(Object.keys(CASES) as CaseName[])('%s', (name) => {
  it('passes helm lint', () => {
    const result = helm(['lint', '--strict', chart.dir, ...CASES[name].filter((arg) => !arg.startsWith('--api-versions') && !arg.includes('monitoring.coreos.com'))]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it("renders manifests that validate against the Kubernetes 1.34 API's schemas", () => {
    expect(schemaViolations(manifestsOf(name))).toEqual([]);
  });

  it('renders no field the Kubernetes API does not have', () => {
    expect(unknownFields(manifestsOf(name))).toEqual([]);
  });

  it('gives every container CPU and memory requests and limits, and liveness and readiness probes', () => {
    for (const { manifest, pod } of workloads(manifestsOf(name))) {
      for (const container of pod.containers) {
        const where = `${manifest.kind}/${manifest.metadata.name} ${container.name}`;
        expect({ where, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({ where, requests: ['cpu', 'memory'] });
        expect({ where, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({ where, limits: ['cpu', 'memory'] });
        expect({ where, liveness: container.livenessProbe !== undefined, readiness: container.readinessProbe !== undefined }).toEqual({
          where,
          liveness: true,
          readiness: true,
        });
      }
    }
  });

  it('runs every container as a non-root user without privilege escalation or capabilities', () => {
    for (const { manifest, pod } of workloads(manifestsOf(name))) {
      expect({ pod: manifest.metadata.name, runAsNonRoot: pod.securityContext?.runAsNonRoot }).toEqual({ pod: manifest.metadata.name, runAsNonRoot: true });
      for (const container of pod.containers) {
        expect({ container: container.name, ...container.securityContext }).toMatchObject({
          container: container.name,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
      }
    }
  });

  it('gives every Deployment of more than one replica, or an autoscaler that may make it so, a PodDisruptionBudget selecting its pods', () => {
    const manifests = manifestsOf(name);
    const budgets = manifests.filter((manifest) => manifest.kind === 'PodDisruptionBudget');
    for (const deployment of manifests.filter((manifest) => manifest.kind === 'Deployment')) {
      const spec = deployment.spec as { replicas?: number; template: { metadata: { labels: Record<string, string> } } };
      const autoscaler = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler' && (m.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === deployment.metadata.name);
      // An autoscaled Deployment leaves its count to the autoscaler (a count of its own would undo its work on each upgrade).
      expect({ deployment: deployment.metadata.name, replicas: spec.replicas === undefined }).toEqual({ deployment: deployment.metadata.name, replicas: autoscaler !== undefined });
      if ((autoscaler ? (autoscaler.spec as { maxReplicas: number }).maxReplicas : spec.replicas!) <= 1) continue;
      const covering = budgets.filter((budget) => {
        const selector = (budget.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
        return Object.entries(selector).every(([label, value]) => spec.template.metadata.labels[label] === value);
      });
      expect({ deployment: deployment.metadata.name, budgets: covering.length }).toEqual({ deployment: deployment.metadata.name, budgets: 1 });
    }
  });

  it('takes every secret variable from a Secret and writes no Secret in plain text', () => {
    const manifests = manifestsOf(name);
    for (const { pod } of workloads(manifests)) {
      for (const variable of pod.containers.flatMap((container) => container.env ?? [])) {
        if (NOT_SECRET.has(variable.name) || !SECRET_VARIABLE.test(variable.name)) continue;
        expect({ variable: variable.name, value: variable.value, fromSecret: variable.valueFrom?.secretKeyRef !== undefined }).toEqual({
          variable: variable.name,
          value: undefined,
          fromSecret: true,
        });
      }
    }
    for (const secret of manifests.filter((manifest) => manifest.kind === 'Secret')) {
      expect(secret.stringData).toBeUndefined();
    }
  });
});

describe('secrets from default values', () => {
  it('generates the ARI password at random instead of shipping one', () => {
    const ariPasswords = [chart.render(QUICK_START), chart.render(QUICK_START)].map((manifests) => {
      const secret = manifests.find((manifest) => manifest.kind === 'Secret' && manifest.metadata.name.endsWith('-ari'));
      return (secret?.data as Record<string, string> | undefined)?.['ari-password'];
    });
    expect(ariPasswords[0]).toMatch(/^[A-Za-z0-9+/]{40,}=*$/);
    expect(ariPasswords[1]).not.toBe(ariPasswords[0]);
    expect(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')).not.toContain(Buffer.from(ariPasswords[0]!, 'base64').toString());
  });

  it('creates no Secret at all when every credential is an existing secret', () => {
    expect(manifestsOf('the two-site production example').filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
  });
});

describe('the two-site production example', () => {
  const find = (kind: string, name: string) => findIn(manifestsOf('the two-site production example'), kind, name);

  it('runs an Asterisk per site on the host network of the site’s nodes, joined by the inter-site trunk', () => {
    for (const [site, other, otherAddress] of [
      ['bj', 'sz', '10.20.0.10'],
      ['sz', 'bj', '10.10.0.10'],
    ]) {
      const asterisk = find('StatefulSet', `lianluo-asterisk-${site}`);
      const pod = podSpecOf(asterisk!)!;
      expect({ hostNetwork: pod.hostNetwork, nodeSelector: pod.nodeSelector }).toEqual({ hostNetwork: true, nodeSelector: { 'lianluo.io/site': site } });
      expect(envOf(asterisk)).toMatchObject({ ASTERISK_SITE: site, ASTERISK_PEERS: `${other}=${otherAddress}:5060` });
    }
  });

  it('points each media gateway at its own site’s Asterisk, with one replica replaced on upgrade', () => {
    const gateway = find('Deployment', 'lianluo-media-gateway-sz');
    expect(envOf(gateway)).toMatchObject({ SITE: 'sz', ARI_URL: 'http://lianluo-asterisk-sz:8088', RECORDING_STORE: 's3', S3_BUCKET: 'lianluo-recordings' });
    expect(gateway?.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
  });

  it('mounts each site’s phones from its secret, and asterisk.extraConfig from a ConfigMap, into its Asterisk', () => {
    const manifests = chart.render(['-f', EXAMPLES.production, '--set-string', 'asterisk.extraConfig.features\\.conf=[general]']);
    const asterisk = manifests.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'lianluo-asterisk-sz')!;
    const volumes = (asterisk.spec as { template: { spec: { volumes: object[] } } }).template.spec.volumes;
    expect(volumes).toEqual(
      expect.arrayContaining([
        { name: 'phones', secret: { secretName: 'lianluo-phones-sz', items: [{ key: 'pjsip_phones.conf', path: 'pjsip_phones.conf' }] } },
        { name: 'config', configMap: { name: 'lianluo-asterisk-config' } },
      ]),
    );
    expect(manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'lianluo-asterisk-config')?.data).toEqual({ 'features.conf': '[general]' });
  });

  it('spreads the shared services over zones and rolls them without losing capacity', () => {
    const acd = find('Deployment', 'lianluo-acd')!;
    expect(acd.spec).toMatchObject({ replicas: 3, strategy: { rollingUpdate: { maxUnavailable: 0 } } });
    expect(JSON.stringify(acd.spec)).toContain('"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule"');
  });

  it('scrapes every workload and both Asterisks when the Prometheus Operator is there, and not otherwise', () => {
    const monitors = manifestsOf('the two-site production example').filter((m) => m.kind === 'ServiceMonitor');
    const workloadCount = manifestsOf('the two-site production example').filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet').length;
    expect(monitors).toHaveLength(workloadCount);
    expect(chart.render(['-f', EXAMPLES.production]).filter((m) => m.kind === 'ServiceMonitor')).toEqual([]);
  });

  it.each(['acd', 'ivr', 'reporting'])('lets only the api reach %s over HTTP, besides the scrapers of the monitoring namespace', (service) => {
    const policy = find('NetworkPolicy', `lianluo-${service}`)!.spec as { ingress: { ports: object[]; from: object[] }[] };
    expect(policy.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'lianluo', 'app.kubernetes.io/instance': 'lianluo', 'app.kubernetes.io/component': 'api' } } },
        ],
      },
    ]);
  });

  it('lets nothing but the scrapers reach the media gateways’ HTTP', () => {
    const policy = find('NetworkPolicy', 'lianluo-media-gateway-bj')!.spec as { ingress: { from: object[] }[] };
    expect(policy.ingress[0]!.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  });
});

const SERVICES_DIR = resolve(__dirname, '..', '..', 'services');
/** The Node services of the repository besides the media gateway (which runs per site). */
const SHARED_SERVICES = readdirSync(SERVICES_DIR).filter((name) => name !== 'media-gateway' && existsSync(join(SERVICES_DIR, name, 'src', 'main.ts')));

/** What a service's package.json says it connects to, and the variable the chart must give it for that. */
function requiredVariablesOf(service: string): string[] {
  const manifest = JSON.parse(readFileSync(join(SERVICES_DIR, service, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const variableOf: Record<string, string> = { '@lianluo/postgres': 'DATABASE_URL', '@lianluo/redis': 'REDIS_MODE', '@lianluo/recording-store': 'RECORDING_STORE', '@lianluo/messaging': 'NATS_URL' };
  return Object.keys(manifest.dependencies ?? {}).flatMap((dependency) => (variableOf[dependency] ? [variableOf[dependency]] : []));
}

describe('the shared services', () => {
  it('deploys every service of the repository by default', () => {
    expect(SHARED_SERVICES).toEqual(expect.arrayContaining(['acd', 'ivr', 'voicemail', 'reporting']));
    for (const service of SHARED_SERVICES) expect(() => findIn(manifestsOf('default values'), 'Deployment', `lianluo-${service}`)).not.toThrow();
  });

  it.each(Object.keys(CASES) as CaseName[])('gives each service the connections its package depends on (%s)', (name) => {
    const manifests = manifestsOf(name);
    for (const service of SHARED_SERVICES) {
      const env = envOf(findIn(manifests, 'Deployment', `lianluo-${service}`));
      for (const variable of requiredVariablesOf(service)) expect({ service, variable, set: variable in env }).toEqual({ service, variable, set: true });
    }
  });

  it('gives a service DATABASE_URL, and its password, exactly when it uses postgresql', () => {
    const manifests = chart.render([...REQUIRED, '--set', 'services.reporting.uses={nats}', '--set', 'services.workitems.enabled=true']);
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-reporting'))).not.toHaveProperty('DATABASE_URL');
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-workitems'))).toMatchObject({
      DATABASE_URL: 'postgres://lianluo@lianluo-postgresql:5432/lianluo',
      PGPASSWORD: { secretKeyRef: { name: 'lianluo-postgresql', key: 'password' } },
    });
  });

  it.each(['ivr', 'voicemail', 'reporting'])('runs %s with probes on /health/live and /health/ready, a budget, a policy and a monitor', (service) => {
    const manifests = manifestsOf('the two-site production example');
    const container = podSpecOf(findIn(manifests, 'Deployment', `lianluo-${service}`))!.containers[0]!;
    expect(container).toMatchObject({ livenessProbe: { httpGet: { path: '/health/live' } }, readinessProbe: { httpGet: { path: '/health/ready' } } });
    for (const kind of ['Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor']) expect(() => findIn(manifests, kind, `lianluo-${service}`)).not.toThrow();
  });
});

describe('ivr’s flows', () => {
  const flowsVolumeOf = (deployment: Manifest) => {
    const pod = (deployment.spec as { template: { spec: { volumes: { name: string; configMap?: { name: string } }[]; containers: { volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[] }[] } } }).template.spec;
    return { volume: pod.volumes.find((volume) => volume.name === 'flows'), mounts: pod.containers[0]!.volumeMounts.filter((mount) => mount.name === 'flows') };
  };

  it('mounts the flows of values as a whole folder (no subPath) where FLOWS_DIR points', () => {
    const manifests = manifestsOf('the two-site production example');
    const ivr = findIn(manifests, 'Deployment', 'lianluo-ivr');
    expect(flowsVolumeOf(ivr)).toEqual({ volume: { name: 'flows', configMap: { name: 'lianluo-ivr-flows' } }, mounts: [{ name: 'flows', mountPath: '/etc/lianluo/flows', readOnly: true }] });
    expect(envOf(ivr).FLOWS_DIR).toBe('/etc/lianluo/flows');
    const flows = findIn(manifests, 'ConfigMap', 'lianluo-ivr-flows').data as Record<string, string>;
    expect(Object.keys(flows)).toEqual(['hotline.yaml']);
    expect(flows['hotline.yaml']).toContain('tenant: acme');
  });

  it('seeds acd from acd.configuration: the file ACD_CONFIG_FILE names, rolled out when it changes', () => {
    const manifests = manifestsOf('the two-site production example');
    const acd = findIn(manifests, 'Deployment', 'lianluo-acd');
    const pod = (acd.spec as { template: { metadata: { annotations?: Record<string, string> }; spec: { volumes: { name: string; configMap?: { name: string } }[]; containers: { volumeMounts: { name: string; mountPath: string }[] }[] } } }).template;
    expect(envOf(acd).ACD_CONFIG_FILE).toBe('/etc/lianluo/acd/configuration.yaml');
    expect(pod.spec.volumes.find((volume) => volume.name === 'acd-configuration')).toEqual({ name: 'acd-configuration', configMap: { name: 'lianluo-acd-configuration' } });
    expect(pod.spec.containers[0]!.volumeMounts.find((mount) => mount.name === 'acd-configuration')?.mountPath).toBe('/etc/lianluo/acd');
    expect((findIn(manifests, 'ConfigMap', 'lianluo-acd-configuration').data as Record<string, string>)['configuration.yaml']).toContain('acme:');
    const before = pod.metadata.annotations?.['checksum/acd-configuration'];
    const changed = chart.render(['-f', EXAMPLES.production, ...WITH_PROMETHEUS_OPERATOR, '--set-string', 'acd.configuration=tenants: {}']);
    const after = (findIn(changed, 'Deployment', 'lianluo-acd').spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations?.['checksum/acd-configuration'];
    expect([typeof before, before === after]).toEqual(['string', false]);
  });

  it('gives acd no configuration file by default', () => {
    const manifests = manifestsOf('default values');
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-acd')).ACD_CONFIG_FILE).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name === 'lianluo-acd-configuration')).toEqual([]);
  });

  it('renders an empty flows ConfigMap by default, so the first flow changes nothing but it', () => {
    expect(findIn(manifestsOf('default values'), 'ConfigMap', 'lianluo-ivr-flows').data).toEqual({});
  });

  it('mounts ivr.existingConfigMap instead, and renders no ConfigMap of its own', () => {
    const manifests = manifestsOf('the external-services example');
    expect(flowsVolumeOf(findIn(manifests, 'Deployment', 'lianluo-ivr')).volume).toEqual({ name: 'flows', configMap: { name: 'lianluo-flows' } });
    expect(manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name.includes('flows'))).toEqual([]);
  });

  it('leaves ivr’s pod template as it was when a flow changes: the change is applied live, without a rollout', () => {
    const changed = chart.render(['-f', EXAMPLES.production, ...WITH_PROMETHEUS_OPERATOR, '--set-string', 'ivr.flows.second\\.yaml=tenant: acme']);
    const templateOf = (manifests: Manifest[]) => (findIn(manifests, 'Deployment', 'lianluo-ivr').spec as { template: unknown }).template;
    expect(templateOf(changed)).toEqual(templateOf(manifestsOf('the two-site production example')));
    expect(Object.keys(findIn(changed, 'ConfigMap', 'lianluo-ivr-flows').data as object)).toEqual(['hotline.yaml', 'second.yaml']);
  });

  it('lets http_lookup steps out only when ivr.httpLookups.egress is on, to its peers and ports', () => {
    const egressOf = (manifests: Manifest[]) => JSON.stringify((findIn(manifests, 'NetworkPolicy', 'lianluo-ivr').spec as { egress: unknown }).egress);
    expect(egressOf(manifestsOf('the two-site production example'))).toContain('{"ports":[{"port":443,"protocol":"TCP"}],"to":[{"ipBlock":{"cidr":"10.30.0.0/16"}}]}');
    expect(egressOf(manifestsOf('default values with one site'))).not.toMatch(/"port":(443|80)\b/);
  });
});

describe('api’s webhooks', () => {
  const apiOf = (manifests: Manifest[]) => findIn(manifests, 'NetworkPolicy', 'lianluo-api').spec as { egress: unknown };
  it('lets api reach webhook receivers only when api.webhooks.egress is on, and tells it the private networks it may deliver to', () => {
    expect(JSON.stringify(apiOf(manifestsOf('the two-site production example')).egress)).toContain('{"ports":[{"port":443,"protocol":"TCP"}]}');
    expect(JSON.stringify(apiOf(manifestsOf('default values')).egress)).not.toContain('"port":443');
    expect(JSON.stringify(findIn(manifestsOf('the two-site production example'), 'Deployment', 'lianluo-api'))).toContain('{"name":"WEBHOOK_ALLOWED_NETWORKS","value":"10.30.0.0/16"}');
  });
});

describe('api’s service identity', () => {
  const VERIFIERS = ['acd', 'ivr', 'voicemail', 'reporting'];
  const publicKeys = readFileSync(PUBLIC_KEYS_FILE, 'utf8');

  it('gives every service with routes of its own api’s public keys from the chart’s ConfigMap, rolled when they change', () => {
    const manifests = manifestsOf('default values with one site');
    expect(findIn(manifests, 'ConfigMap', 'lianluo-service-auth').data).toEqual({ 'service-auth-public.jwks.json': publicKeys });
    for (const service of VERIFIERS) {
      const deployment = findIn(manifests, 'Deployment', `lianluo-${service}`);
      expect({ service, keys: envOf(deployment).SERVICE_AUTH_PUBLIC_KEYS }).toEqual({ service, keys: { configMapKeyRef: { name: 'lianluo-service-auth', key: 'service-auth-public.jwks.json' } } });
      const annotations = (deployment.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations;
      expect(annotations?.['checksum/service-auth-public-keys']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-media-gateway-bj'))).not.toHaveProperty('SERVICE_AUTH_PUBLIC_KEYS');
  });

  it('gives api its private key from the operator’s Secret, and the services the operator’s ConfigMap', () => {
    const manifests = manifestsOf('the two-site production example');
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-api')).SERVICE_AUTH_PRIVATE_KEY).toEqual({ secretKeyRef: { name: 'lianluo-service-auth', key: 'service-auth-private.jwk.json' } });
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-acd')).SERVICE_AUTH_PUBLIC_KEYS).toEqual({ configMapKeyRef: { name: 'lianluo-service-auth-keys', key: 'service-auth-public.jwks.json' } });
    expect(manifests.filter((m) => m.metadata.name.includes('service-auth'))).toEqual([]);
  });

  it('writes api’s private key of values into a Secret of its own, never into a ConfigMap', () => {
    const privateKey = '{"kty":"OKP","crv":"Ed25519","x":"x","d":"d","kid":"k"}';
    const manifests = chart.render([...QUICK_START, '--set-json', `serviceAuth.privateKey=${JSON.stringify(privateKey)}`]);
    const secret = findIn(manifests, 'Secret', 'lianluo-service-auth');
    expect(Buffer.from((secret.data as Record<string, string>)['service-auth-private.jwk.json']!, 'base64').toString()).toBe(privateKey);
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-api')).SERVICE_AUTH_PRIVATE_KEY).toEqual({ secretKeyRef: { name: 'lianluo-service-auth', key: 'service-auth-private.jwk.json' } });
    for (const map of manifests.filter((m) => m.kind === 'ConfigMap')) expect(JSON.stringify(map.data)).not.toContain('"d":"d"');
  });

  it.each([
    ['without the public keys', [...API_SERVICE_KEY, ...API_OIDC], 'serviceAuth.publicKeys (or serviceAuth.existingConfigMap) is required'],
    ['with a private key as the public keys', ['--set-json', `serviceAuth.publicKeys=${JSON.stringify('{"keys":[{"kty":"OKP","crv":"Ed25519","x":"x","d":"d","kid":"k"}]}')}`], 'serviceAuth.publicKeys holds a private key'],
    ['with api but without its private key', [...SERVICE_KEYS, ...API_OIDC], 'serviceAuth.existingSecret (or serviceAuth.privateKey) is required while api is enabled'],
  ])('fails helm template %s, naming the value', (_, args, message) => {
    const result = chart.template(args);
    expect({ status: result.status, error: result.stderr }).toEqual({ status: 1, error: expect.stringContaining(message) });
  });

  it('renders without keys when no service needs them', () => {
    const args = [...VERIFIERS, 'api'].flatMap((service) => ['--set', `services.${service}.enabled=false`]);
    expect(chart.template(args).status).toBe(0);
  });
});

describe('the api', () => {
  const SERVICES = { acd: 3002, ivr: 3003, voicemail: 3004, reporting: 3005 };
  const templateOf = (deployment: Manifest) => (deployment.spec as { template: { metadata: { annotations?: Record<string, string> }; spec: { volumes: object[]; containers: { volumeMounts: object[] }[] } } }).template;
  const decoded = (secret: Manifest) => Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));

  it('gives the embedded provider its keys of values from a Secret of the chart, never a ConfigMap, and rolls the api when they change', () => {
    const manifests = manifestsOf('default values');
    const api = findIn(manifests, 'Deployment', 'lianluo-api');
    expect(envOf(api)).toMatchObject({
      OIDC_ISSUER: 'https://cc.example.com/oidc',
      OIDC_SIGNING_KEYS: { secretKeyRef: { name: 'lianluo-api-oidc', key: 'oidc-signing-keys.jwks.json' } },
      OIDC_COOKIE_SECRETS: { secretKeyRef: { name: 'lianluo-api-oidc', key: 'oidc-cookie-secrets' } },
      ACCESS_TOKEN_TTL_SECONDS: '600',
      LOGIN_MAX_FAILURES: '5',
    });
    expect(decoded(findIn(manifests, 'Secret', 'lianluo-api-oidc'))).toEqual({ 'oidc-signing-keys.jwks.json': API_SIGNING_KEYS, 'oidc-cookie-secrets': API_COOKIE_SECRETS });
    for (const map of manifests.filter((m) => m.kind === 'ConfigMap')) expect(JSON.stringify(map.data)).not.toMatch(/d-of-the-api-oidc-test-key|cookie-secret-of-the-chart-tests/);
    const rotated = chart.render([...REQUIRED, '--set', `api.oidc.cookieSecrets=new-${API_COOKIE_SECRETS}\\,${API_COOKIE_SECRETS}`]);
    const checksums = [manifests, rotated].map((rendered) => templateOf(findIn(rendered, 'Deployment', 'lianluo-api')).metadata.annotations?.['checksum/api-oidc']);
    expect([typeof checksums[0], checksums[0] === checksums[1]]).toEqual(['string', false]);
  });

  it('takes the provider’s keys and the seed from the operator’s Secrets in the production example, the seed as a file', () => {
    const manifests = manifestsOf('the two-site production example');
    const api = findIn(manifests, 'Deployment', 'lianluo-api');
    expect(envOf(api)).toMatchObject({
      OIDC_ISSUER: 'https://cc.example.com/oidc',
      OIDC_SIGNING_KEYS: { secretKeyRef: { name: 'lianluo-api-oidc', key: 'oidc-signing-keys.jwks.json' } },
      OIDC_COOKIE_SECRETS: { secretKeyRef: { name: 'lianluo-api-oidc', key: 'oidc-cookie-secrets' } },
      OIDC_DESKTOP_REDIRECT_URIS: 'https://cc.example.com/app/callback',
      API_SEED_FILE: '/etc/lianluo/api-seed/seed.yaml',
    });
    const pod = templateOf(api);
    expect(pod.spec.volumes).toContainEqual({ name: 'api-seed', secret: { secretName: 'lianluo-api-seed', items: [{ key: 'seed.yaml', path: 'seed.yaml' }], defaultMode: 0o440 } });
    expect(pod.spec.containers[0]!.volumeMounts).toContainEqual({ name: 'api-seed', mountPath: '/etc/lianluo/api-seed', readOnly: true });
    expect(pod.metadata.annotations?.['checksum/api-oidc']).toBeUndefined();
  });

  it.each([
    ['without an issuer', [...SERVICE_KEYS, ...API_SERVICE_KEY, '--set', 'api.oidc.existingSecret=oidc'], 'api.issuer is required while api runs its embedded OpenID provider'],
    ['without the provider’s keys', [...SERVICE_KEYS, ...API_SERVICE_KEY, '--set', 'api.issuer=https://cc.example.com/oidc'], 'api.oidc.existingSecret (or api.oidc.signingKeys and api.oidc.cookieSecrets) is required'],
    ['with signing keys but no cookie secret', [...REQUIRED, '--set', 'api.oidc.cookieSecrets='], 'api.oidc.existingSecret (or api.oidc.signingKeys and api.oidc.cookieSecrets) is required'],
  ])('fails helm template %s, naming the value', (_, args, message) => {
    const result = chart.template(args);
    expect({ status: result.status, error: result.stderr }).toEqual({ status: 1, error: expect.stringContaining(message) });
  });

  it('needs neither issuer nor keys with an external issuer, and gives api its claims and role map', () => {
    const manifests = manifestsOf('the external-services example');
    const env = envOf(findIn(manifests, 'Deployment', 'lianluo-api'));
    expect(env).toMatchObject({
      OIDC_EXTERNAL_ISSUER: 'https://sso.example.com/realms/cc',
      OIDC_AUDIENCE: 'lianluo-api',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_ROLE_MAP: 'cc-admins=admin,cc-agents=agent,cc-leads=supervisor',
    });
    for (const variable of ['OIDC_ISSUER', 'OIDC_SIGNING_KEYS', 'OIDC_COOKIE_SECRETS', 'LOGIN_MAX_FAILURES']) expect(env).not.toHaveProperty(variable);
    expect(manifests.filter((m) => m.metadata.name === 'lianluo-api-oidc')).toEqual([]);
  });

  it('routes /v1, /oidc, /interaction and /app of the issuer’s host to the api over TLS in the production example', () => {
    const ingress = findIn(manifestsOf('the two-site production example'), 'Ingress', 'lianluo-api');
    expect(ingress.metadata.annotations).toMatchObject({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    const spec = ingress.spec as { ingressClassName: string; tls: object[]; rules: { host: string; http: { paths: { path: string; pathType: string; backend: object }[] } }[] };
    expect(spec.ingressClassName).toBe('nginx');
    expect(spec.tls).toEqual([{ secretName: 'lianluo-api-tls', hosts: ['cc.example.com'] }]);
    expect(spec.rules.map((rule) => rule.host)).toEqual(['cc.example.com']);
    const paths = spec.rules[0]!.http.paths;
    expect(paths.map((path) => path.path).sort()).toEqual(['/app', '/interaction', '/oidc', '/v1']);
    for (const path of paths) expect(path).toMatchObject({ pathType: 'Prefix', backend: { service: { name: 'lianluo-api', port: { name: 'http' } } } });
    expect(manifestsOf('default values').filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  it('scales on CPU with an autoscaler from two replicas, spread over zones, a budget keeping one up', () => {
    const manifests = manifestsOf('the two-site production example');
    expect(findIn(manifests, 'HorizontalPodAutoscaler', 'lianluo-api').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lianluo-api' },
      minReplicas: 2,
      maxReplicas: 8,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    const api = findIn(manifests, 'Deployment', 'lianluo-api');
    expect(api.spec).not.toHaveProperty('replicas');
    expect(JSON.stringify(api.spec)).toContain('"topologyKey":"topology.kubernetes.io/zone"');
    expect(findIn(manifests, 'PodDisruptionBudget', 'lianluo-api').spec).toMatchObject({ maxUnavailable: 1 });
    const fixed = chart.render([...REQUIRED, '--set', 'services.api.autoscaling.enabled=false', '--set', 'services.api.replicas=3']);
    expect(findIn(fixed, 'Deployment', 'lianluo-api').spec).toMatchObject({ replicas: 3 });
    expect(fixed.filter((m) => m.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('fails helm template when autoscaling’s minReplicas is above its maxReplicas', () => {
    const result = chart.template([...REQUIRED, '--set', 'services.api.autoscaling.minReplicas=7']);
    expect({ status: result.status, error: result.stderr }).toEqual({ status: 1, error: expect.stringContaining('services.api.autoscaling.minReplicas (7) is above its maxReplicas (6)') });
  });

  it.each(Object.keys(SERVICES) as (keyof typeof SERVICES)[])('reaches %s’s pods on its HTTP port, at its Service', (service) => {
    const manifests = manifestsOf('the two-site production example');
    const port = (findIn(manifests, 'Service', `lianluo-${service}`).spec as { ports: { port: number }[] }).ports[0]!.port;
    expect(port).toBe(SERVICES[service]);
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-api'))[`${service.toUpperCase()}_URL`]).toBe(`http://lianluo-${service}:${port}`);
    const egress = (findIn(manifests, 'NetworkPolicy', 'lianluo-api').spec as { egress: object[] }).egress;
    expect(egress).toContainEqual({
      ports: [{ port, protocol: 'TCP' }],
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'lianluo', 'app.kubernetes.io/instance': 'lianluo', 'app.kubernetes.io/component': service } } }],
    });
  });

  it('calls only the services that run', () => {
    const manifests = chart.render([...REQUIRED, '--set', 'services.voicemail.enabled=false']);
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-api'))).not.toHaveProperty('VOICEMAIL_URL');
    expect(JSON.stringify((findIn(manifests, 'NetworkPolicy', 'lianluo-api').spec as { egress: object[] }).egress)).not.toContain('"port":3004');
  });
});

describe('voicemail', () => {
  const RECORDING_VARIABLE = /^(RECORDING_|S3_)/;
  const recordingEnvOf = (manifest: Manifest) => Object.fromEntries(Object.entries(envOf(manifest)).filter(([name]) => RECORDING_VARIABLE.test(name)));

  it.each([
    ['the two-site production example', 'lianluo-media-gateway-bj', { RECORDING_STORE: 's3', S3_BUCKET: 'lianluo-recordings' }],
    ['the external-services example', 'lianluo-media-gateway-bj', { RECORDING_STORE: 's3', S3_ENDPOINT: 'http://rgw.storage:7480' }],
    ['default values with one site', 'lianluo-media-gateway-bj', { RECORDING_STORE: 'local', RECORDING_DIR: '/var/lib/lianluo/recordings' }],
  ] as const)('reads the recording store the media gateways write to (%s)', (name, gateway, expected) => {
    const voicemail = recordingEnvOf(findIn(manifestsOf(name), 'Deployment', 'lianluo-voicemail'));
    expect(voicemail).toMatchObject(expected);
    expect(voicemail).toEqual(recordingEnvOf(findIn(manifestsOf(name), 'Deployment', gateway)));
  });

  it('mounts the gateways’ ReadWriteMany claim as its recordings folder with a local store', () => {
    const manifests = chart.render([...QUICK_START, '--set', 'mediaGateway.recordings.localClaim=lianluo-recordings']);
    for (const name of ['lianluo-voicemail', 'lianluo-media-gateway-bj']) {
      const pod = (findIn(manifests, 'Deployment', name).spec as { template: { spec: { volumes: object[]; containers: { volumeMounts: object[] }[] } } }).template.spec;
      expect(pod.volumes).toContainEqual({ name: 'recordings', persistentVolumeClaim: { claimName: 'lianluo-recordings' } });
      expect(pod.containers[0]!.volumeMounts).toContainEqual({ name: 'recordings', mountPath: '/var/lib/lianluo/recordings' });
    }
  });

  it('tells Asterisk to fetch takes from its own Service', () => {
    const manifests = manifestsOf('the two-site production example');
    const port = (findIn(manifests, 'Service', 'lianluo-voicemail').spec as { ports: { port: number }[] }).ports[0]!.port;
    expect(envOf(findIn(manifests, 'Deployment', 'lianluo-voicemail')).MEDIA_BASE_URL).toBe(`http://lianluo-voicemail.contact-centre.svc:${port}`);
  });

  it('is reached by the api and the Asterisk nodes of networkPolicy.asteriskFrom, and reaches S3 on the endpoint’s port', () => {
    const policy = findIn(manifestsOf('the external-services example'), 'NetworkPolicy', 'lianluo-voicemail').spec as { ingress: { from?: object[] }[]; egress: unknown };
    expect(policy.ingress).toHaveLength(1);
    expect(policy.ingress[0]!.from).toEqual(expect.arrayContaining([{ ipBlock: { cidr: '192.0.2.0/25' } }, expect.objectContaining({ podSelector: expect.objectContaining({ matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'api' }) }) })]));
    expect(JSON.stringify(policy.egress)).toContain('{"ports":[{"port":7480,"protocol":"TCP"}]');
  });

  it('is open on its HTTP port to the host-network Asterisks while networkPolicy.asteriskFrom is empty', () => {
    const policy = findIn(manifestsOf('default values with one site'), 'NetworkPolicy', 'lianluo-voicemail').spec as { ingress: object[] };
    expect(policy.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    const withoutSites = findIn(manifestsOf('default values'), 'NetworkPolicy', 'lianluo-voicemail').spec as { ingress: { from?: object[] }[] };
    expect(withoutSites.ingress[0]!.from).toBeDefined();
  });
});

describe('Grafana dashboards', () => {
  const dashboardMaps = (manifests: Manifest[]) =>
    manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard === '1');

  it('ships each JSON file of deploy/grafana/dashboards as a ConfigMap for the sidecar', () => {
    const files = readdirSync(join(CHART_DIR, 'dashboards')).filter((file) => file.endsWith('.json'));
    const maps = dashboardMaps(manifestsOf('default values'));
    expect(maps.flatMap((map) => Object.keys(map.data as object)).sort()).toEqual(files.sort());
    for (const map of maps) for (const json of Object.values(map.data as Record<string, string>)) expect(() => JSON.parse(json)).not.toThrow();
  });

  it('renders with no dashboard at all, and with any number of them', () => {
    const copy = new ChartCopy();
    try {
      const folder = join(copy.dir, 'dashboards');
      for (const file of readdirSync(folder)) rmSync(join(folder, file));
      expect(dashboardMaps(copy.render(REQUIRED))).toEqual([]);
      for (const name of ['one', 'two_b', 'three']) writeFileSync(join(folder, `${name}.json`), JSON.stringify({ title: name }));
      expect(dashboardMaps(copy.render(REQUIRED)).map((map) => map.metadata.name)).toEqual(['lianluo-dashboard-one', 'lianluo-dashboard-three', 'lianluo-dashboard-two-b']);
    } finally {
      copy.remove();
    }
  });
});

describe('invalid values', () => {
  it.each([
    ['a site without an address', ['--set', 'sites.bj.sipPort=5060'], "at '/sites/bj': missing property 'address'"],
    ['negative replicas', ['--set', 'services.acd.replicas=-1'], "at '/services/acd/replicas': minimum: got -1, want 0"],
    ['an unknown key', ['--set', 'replicaCount=3'], "additional properties 'replicaCount' not allowed"],
    ['a misspelt site key', ['--set', 'sites.bj.address=192.0.2.10', '--set', 'sites.bj.sipport=5060'], "at '/sites/bj': additional properties 'sipport' not allowed"],
    ['external NATS without a URL', ['--set', 'nats.enabled=false'], "at '/externalNats/url': minLength: got 0, want 1"],
    ['S3 recordings without a bucket', ['--set', 'mediaGateway.recordings.store=s3'], "at '/mediaGateway/recordings/s3/bucket': minLength: got 0, want 3"],
    ['a flow file not named *.yaml', ['--set-string', 'ivr.flows.main\\.json=tenant: acme'], "invalid propertyName 'main.json'"],
    ['a flow that is not YAML text', ['--set', 'ivr.flows.main\\.yaml.tenant=acme'], "at '/ivr/flows/main.yaml': got object, want string"],
    ['flows besides ivr.existingConfigMap', ['--set-string', 'ivr.flows.main\\.yaml=tenant: acme', '--set', 'ivr.existingConfigMap=flows'], "at '/ivr/flows': maxProperties: got 1, want 0"],
    ['a service using what the chart cannot give', ['--set', 'services.ivr.uses={nats,s3}'], "at '/services/ivr/uses/1': value must be one of 'nats', 'redis', 'postgresql', 'recordings'"],
    ['both acd.configuration and acd.existingConfigMap', ['--set-string', 'acd.configuration=tenants: {}', '--set', 'acd.existingConfigMap=acd'], "at '/acd/configuration': maxLength: got 11, want 0"],
    ['an http_lookup port out of range', ['--set', 'ivr.httpLookups.ports={0}'], "at '/ivr/httpLookups/ports/0': minimum: got 0, want 1"],
  ])('fails helm template on %s with the schema’s message', (_, args, message) => {
    const result = chart.template(args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(message);
  });
});

describe('README.md', () => {
  it('has the values table values.yaml gives (npx tsx deploy/helm/tools/values-table.ts --write)', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    expect(readme).toBe(readmeWithTable(readme, readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')));
  });
});
