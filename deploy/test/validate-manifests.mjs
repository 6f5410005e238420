// Validates Kubernetes manifests against the API's OpenAPI schemas as kubernetes-models
// compiles them (Kubernetes 1.34; the Prometheus Operator's CRDs for ServiceMonitor).
// An ES module, run as its own process: the models are ESM only.
// stdin: a JSON array of manifests; stdout: a JSON array of {kind, name, errors}, empty when all are valid.
import { readFileSync } from 'node:fs';

const PACKAGES = { 'monitoring.coreos.com': '@kubernetes-models/prometheus-operator' };

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const specifier = group
    ? `${PACKAGES[group] ?? 'kubernetes-models'}/${group}/${version}/${kind}`
    : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(specifier))[kind];
  } catch (error) {
    if (error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || error.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

const manifests = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const manifest of manifests) {
  const { apiVersion, kind } = manifest;
  const name = manifest.metadata?.name;
  const Model = await modelOf(apiVersion, kind);
  if (!Model) {
    results.push({ kind, name, errors: [`no schema for ${apiVersion} ${kind}`] });
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    const details = error.errors?.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${e.params ? JSON.stringify(e.params) : ''}`);
    results.push({ kind, name, errors: details ?? [String(error.message)] });
  }
}
process.stdout.write(JSON.stringify(results));
