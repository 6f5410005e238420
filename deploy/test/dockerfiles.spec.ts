// What can be known of the images without an engine: the instructions of each Dockerfile's
// final stage, and what the build context (the repository less .dockerignore) holds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');
/** What docker/build-images.sh builds by default: every service with a src/main.ts. */
const SERVICES = readdirSync(join(ROOT, 'services')).filter((name) => existsSync(join(ROOT, 'services', name, 'src', 'main.ts')));

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions of a Dockerfile by stage (continuation lines joined, comments dropped). */
function stagesOf(file: string): Instruction[][] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

function argsOf(stage: Instruction[], keyword: string): string[] {
  return stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

/** Whether .dockerignore keeps `path` out of the build context (its patterns, last match wins). */
function ignored(path: string): boolean {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  let excluded = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = (negated ? pattern.slice(1) : pattern).replace(/\/$/, '');
    const regex = new RegExp(
      '^' +
        body
          .split('/')
          .map((part) => (part === '**' ? '(?:.*/)?' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '/'))
          .join('')
          .replace(/\/$/, '') +
        '(?:/.*)?$',
    );
    if (regex.test(path)) excluded = !negated;
  }
  return excluded;
}

describe('the build context', () => {
  it('holds the sources, lock file and build scripts the images are built from', () => {
    for (const path of ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'libs/config/src/index.ts', 'services/acd/src/main.ts', 'services/acd/src/routing/scripts/routing-core.lua', 'docker/bundle-service.ts', 'docker/asterisk/lianluo-asterisk', 'docker/asterisk/config/pjsip.conf']) {
      expect({ path, exists: existsSync(join(ROOT, path)), ignored: ignored(path) }).toEqual({ path, exists: true, ignored: false });
    }
  });

  it('holds the migrations every service applies at start-up (docker/bundle-service.ts copies them)', () => {
    for (const service of SERVICES) {
      const folder = join('services', service, 'migrations');
      if (!existsSync(join(ROOT, folder))) continue;
      for (const file of readdirSync(join(ROOT, folder))) expect({ file, ignored: ignored(join(folder, file)) }).toEqual({ file, ignored: false });
    }
  });

  it('leaves out what this machine installed or built, and the tests', () => {
    for (const path of ['node_modules/nx/package.json', 'services/acd/node_modules/x', 'services/acd/dist/main.js', 'libs/config/dist/index.js', '.git/HEAD', '.nx/cache', 'services/acd/test/routing-harness.ts', 'libs/config/src/config.spec.ts', 'deploy/helm/lianluo/values.yaml']) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
  });
});

describe('docker/build-images.sh', () => {
  const values = parse(readFileSync(join(ROOT, 'deploy', 'helm', 'lianluo', 'values.yaml'), 'utf8')) as {
    mediaGateway: { httpPort: number };
    services: Record<string, { httpPort: number }>;
  };

  it('builds every service, ivr, voicemail and reporting among them, on the HTTP port the chart gives it and its config defaults to', () => {
    expect(SERVICES).toEqual(expect.arrayContaining(['acd', 'ivr', 'voicemail', 'reporting', 'media-gateway']));
    for (const service of SERVICES) {
      // build-images.sh reads the port from values.yaml for the image's HTTP_PORT and EXPOSE.
      const chartPort = service === 'media-gateway' ? values.mediaGateway.httpPort : values.services[service]?.httpPort;
      const config = readFileSync(join(ROOT, 'services', service, 'src', `${service}.config.ts`), 'utf8');
      const defaultPort = Number(/httpConfig\((\d+)\)/.exec(config)?.[1]);
      expect({ service, chartPort }).toEqual({ service, chartPort: defaultPort });
    }
  });
});

describe('docker/node-service.Dockerfile', () => {
  const stages = stagesOf('docker/node-service.Dockerfile');
  const runtime = stages.at(-1)!;

  it('builds with Nx and bundles in a build stage, and copies only the bundle into the runtime stage', () => {
    expect(stages).toHaveLength(2);
    expect(argsOf(stages[0]!, 'RUN').join('\n')).toMatch(/nx run "@lianluo\/\$\{SERVICE\}:build"[\s\S]*docker\/bundle-service\.ts "\$SERVICE" \/bundle/);
    expect(argsOf(runtime, 'COPY')).toEqual(['--from=build --chown=root:root /bundle /app']);
    expect(argsOf(runtime, 'RUN').join('\n')).not.toMatch(/npm|nx|tsx/);
  });

  it('runs the service as a non-root user under tini, with a health check on /health/live', () => {
    expect(argsOf(runtime, 'USER')).toEqual(['1000:1000']);
    expect(argsOf(runtime, 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(argsOf(runtime, 'CMD')).toEqual(['["node", "--enable-source-maps", "dist/main.js"]']);
    expect(argsOf(runtime, 'HEALTHCHECK').join('')).toContain('/health/live');
  });
});

describe('docker/asterisk/Dockerfile', () => {
  const stages = stagesOf('docker/asterisk/Dockerfile');
  const image = stages.at(-1)!;

  it('installs Debian unstable’s Asterisk packages and no build tools', () => {
    expect(argsOf(stages[0]!, 'FROM')).toEqual(['${DEBIAN_IMAGE}']);
    expect(readFileSync(join(ROOT, 'docker/asterisk/Dockerfile'), 'utf8')).toContain('ARG DEBIAN_IMAGE=debian:sid-slim');
    const installs = argsOf(image, 'RUN').join('\n');
    expect(installs).toMatch(/apt-get install[^;]*asterisk asterisk-modules asterisk-core-sounds-en-gsm tini/);
    expect(installs).not.toMatch(/\b(gcc|g\+\+|make|build-essential|git|curl|wget)\b/);
  });

  it('runs lianluo-asterisk under tini as the numeric non-root user the chart expects', () => {
    expect(argsOf(image, 'USER')).toEqual(['${UID}:${UID}']);
    expect(readFileSync(join(ROOT, 'docker/asterisk/Dockerfile'), 'utf8')).toContain('ARG UID=10001');
    expect(readFileSync(join(ROOT, 'deploy/helm/lianluo/templates/asterisk.yaml'), 'utf8')).toContain('runAsUser: 10001');
    expect(argsOf(image, 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--", "/usr/local/bin/lianluo-asterisk"]']);
    expect(argsOf(image, 'COPY')).toEqual(['docker/asterisk/config/ /usr/share/lianluo/asterisk/', 'docker/asterisk/lianluo-asterisk /usr/local/bin/lianluo-asterisk']);
  });
});
