// Manifests against the Kubernetes API, two ways, both from kubernetes-models (generated from
// the OpenAPI document of Kubernetes 1.34, and of the Prometheus Operator's CRDs):
// - its compiled JSON-schema validators: types, formats (quantities), required fields, enums;
// - its TypeScript types, checked by the compiler: a field the API does not have (a typo the
//   API server would drop or, with strict field validation, refuse) fails the excess-property check.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from './chart';

export interface SchemaViolation {
  readonly kind: string;
  readonly name: string;
  readonly errors: readonly string[];
}

const PACKAGES: Record<string, string> = { 'monitoring.coreos.com': '@kubernetes-models/prometheus-operator' };

/** Violations of the API's JSON schemas; empty when every manifest is valid. */
export function schemaViolations(manifests: readonly Manifest[]): SchemaViolation[] {
  const result = spawnSync(process.execPath, [join(__dirname, 'validate-manifests.mjs')], {
    input: JSON.stringify(manifests),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`validate-manifests.mjs failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as SchemaViolation[];
}

/** Fields the API's types do not have (the first per manifest), as `<kind>/<name>: <message>`. */
export function unknownFields(manifests: readonly Manifest[]): string[] {
  // A file that exists for the compiler only, beside this one so kubernetes-models resolves.
  const file = join(__dirname, '__manifests__.ts');
  const imports: string[] = [];
  const declarations = manifests.map((manifest, index) => {
    imports.push(`import type { I${manifest.kind} as T${index} } from '${modulePath(manifest)}';`);
    return `export const m${index}: T${index} = ${JSON.stringify(manifest)};`;
  });
  // Declarations first, one per line: line i is manifest i.
  const source = [...declarations, ...imports].join('\n') + '\n';
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === file ? ts.createSourceFile(name, source, languageVersion) : getSourceFile.call(host, name, languageVersion, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const manifest = manifests[line];
    return manifest ? `${manifest.kind}/${manifest.metadata.name}: ${message}` : message;
  });
}

function modulePath({ apiVersion, kind }: Manifest): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  return group ? `${PACKAGES[group] ?? 'kubernetes-models'}/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}
