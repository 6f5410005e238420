// The production bundle of one service, as its image copies it: the service's package.json and
// dist/, the workspace libraries it depends on (package.json and dist/ only), and the npm
// packages of its production dependency tree, each found where Node would find it, so the
// bundle runs with `node dist/main.js` and nothing else. Development dependencies never enter.
//
//   npx tsx docker/bundle-service.ts <service> <out-folder>     (after `nx run @lianluo/<service>:build`)
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

interface PackageManifest {
  readonly name: string;
  readonly version?: string;
  readonly main?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface ServiceBundle {
  readonly dir: string;
  /** Package folders copied, relative to the bundle (`node_modules/...`). */
  readonly packages: readonly string[];
}

const WORKSPACE_ROOT = resolve(__dirname, '..');

/** What a workspace package ships: the rest (src/, tests, tsconfig) stays behind. */
// migrations/: SQL a service (or lib) applies at start-up, read from disk next to dist/.
const WORKSPACE_FILES = ['package.json', 'dist', 'migrations'];

/** Copies service `name` (built) with its production dependencies into `outDir`, replacing it. */
export function bundleService(name: string, outDir: string, workspaceRoot = WORKSPACE_ROOT): ServiceBundle {
  const serviceDir = join(workspaceRoot, 'services', name);
  const manifest = readManifest(serviceDir);
  if (!existsSync(join(serviceDir, 'dist', 'main.js'))) {
    throw new Error(`services/${name}/dist/main.js is missing: build it first (npx nx run ${manifest.name}:build)`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  copyWorkspacePackage(serviceDir, outDir);

  // Where a package's own node_modules folder lands in the bundle, by the package's real
  // folder: the service and the workspace root both become the bundle's root.
  const outDirOf = new Map<string, string>([
    [realpathSync(workspaceRoot), outDir],
    [realpathSync(serviceDir), outDir],
  ]);
  const copied = new Set<string>();
  const pending: { fromDir: string; manifest: PackageManifest }[] = [{ fromDir: realpathSync(serviceDir), manifest }];
  while (pending.length > 0) {
    const { fromDir, manifest: requester } = pending.pop()!;
    for (const [dependency, required] of dependenciesOf(requester)) {
      const found = locate(dependency, fromDir, workspaceRoot);
      if (!found) {
        if (required) throw new Error(`${requester.name} depends on ${dependency}, which is not installed (run npm install)`);
        continue;
      }
      const realDir = realpathSync(found);
      if (outDirOf.has(realDir)) continue;
      const base = outDirOf.get(realpathSync(nodeModulesParent(found)));
      if (base === undefined) throw new Error(`cannot place ${found} in the bundle: its node_modules folder belongs to no bundled package`);
      const target = join(base, 'node_modules', dependency);
      if (isWorkspacePackage(realDir, workspaceRoot)) copyWorkspacePackage(realDir, target);
      else cpSync(realDir, target, { recursive: true, filter: (source) => !isNestedNodeModules(source, realDir) });
      outDirOf.set(realDir, target);
      copied.add(relative(outDir, target));
      pending.push({ fromDir: realDir, manifest: readManifest(realDir) });
    }
  }
  return { dir: outDir, packages: [...copied].sort() };
}

/** Production dependencies of a package: name → whether it must be installed. */
function dependenciesOf(manifest: PackageManifest): [string, boolean][] {
  const peers = Object.keys(manifest.peerDependencies ?? {}).map((name): [string, boolean] => [name, false]);
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((name): [string, boolean] => [name, true]),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name): [string, boolean] => [name, false]),
    // npm installs peers, but one may be missing (optional, or a platform's): then it is not needed.
    ...peers,
  ];
}

/** The folder Node resolves `name` to from `fromDir`: the nearest node_modules/<name> upwards. */
function locate(name: string, fromDir: string, workspaceRoot: string): string | undefined {
  const stop = dirname(resolve(workspaceRoot));
  for (let dir = fromDir; dir !== stop && dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/** `/a/node_modules/@scope/pkg` → `/a`. */
function nodeModulesParent(packageDir: string): string {
  const marker = `${sep}node_modules${sep}`;
  return packageDir.slice(0, packageDir.lastIndexOf(marker));
}

function isNestedNodeModules(source: string, packageDir: string): boolean {
  return relative(packageDir, source).split(sep).includes('node_modules');
}

function isWorkspacePackage(realDir: string, workspaceRoot: string): boolean {
  const path = relative(realpathSync(workspaceRoot), realDir);
  return !path.startsWith('..') && !path.split(sep).includes('node_modules');
}

function copyWorkspacePackage(packageDir: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of WORKSPACE_FILES) {
    const source = join(packageDir, entry);
    if (!existsSync(source)) continue;
    cpSync(source, join(target, entry), { recursive: true, filter: (path) => !path.endsWith('.tsbuildinfo') });
  }
  // Scripts and development dependencies mean nothing in an image.
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.scripts;
  delete manifest.devDependencies;
  delete manifest.nx;
  writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

function readManifest(packageDir: string): PackageManifest {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
}

if (require.main === module) {
  const [name, out] = process.argv.slice(2);
  if (!name || !out) {
    process.stderr.write('usage: tsx docker/bundle-service.ts <service> <out-folder>\n');
    process.exit(2);
  }
  const bundle = bundleService(name, resolve(out));
  process.stdout.write(`bundled ${name} with ${bundle.packages.length} packages into ${bundle.dir}\n`);
}
