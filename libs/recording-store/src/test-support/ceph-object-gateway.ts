// A real S3 server for this lib's tests: Ceph's RADOS Gateway from Debian's `radosgw`, on a
// one-monitor, one-OSD cluster kept in memory (memstore), in its own temporary folder, on
// free loopback ports. About 10 s to start; `stop()` kills it and deletes the folder.
// `bash scripts/provision.sh` installs the packages (ceph-mon, ceph-osd, radosgw).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const COMMANDS = ['ceph-authtool', 'monmaptool', 'ceph-mon', 'ceph-osd', 'ceph', 'radosgw', 'radosgw-admin'];
const START_TIMEOUT_MS = 90_000;
/** Kills a child with this process however it ends (it execs on, keeping the setting). */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

export interface ObjectGateway {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

async function assertInstalled(): Promise<void> {
  const path = (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin');
  const missing = COMMANDS.filter((command) => !path.some((dir) => existsSync(join(dir, command))));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not found: run bash scripts/provision.sh (installs Debian's ceph-mon, ceph-osd and radosgw)`);
  }
}

/** Starts the cluster and its gateway; resolves once the gateway answers S3 requests. */
export async function startCephObjectGateway(): Promise<ObjectGateway> {
  await assertInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'lianluo-rgw-'));
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.reverse().map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const config = join(dir, 'ceph.conf');
    const fsid = randomUUID();
    const osdUuid = randomUUID();
    await Promise.all(['run', 'log', 'mon', 'osd/ceph-0', 'rgw'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
    await writeFile(config, cephConf(dir, fsid, monPort, rgwPort));
    const keyring = join(dir, 'keyring');
    await run('ceph-authtool', ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'client.admin', '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow *']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'osd.0', '--cap', 'mon', 'allow profile osd', '--cap', 'osd', 'allow *']);
    await run('ceph-authtool', [keyring, '--gen-key', '-n', 'client.rgw', '--cap', 'mon', 'allow rw', '--cap', 'osd', 'allow rwx']);
    await run('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, join(dir, 'monmap')]);
    await run('ceph-mon', ['-c', config, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', keyring]);
    children.push(daemon('ceph-mon', ['-c', config, '-f', '-i', 'a']));
    await run('ceph', ['-c', config, '--connect-timeout', '30', 'osd', 'new', osdUuid, '0'], { timeout: 40_000 });
    await run('ceph-osd', ['-c', config, '-i', '0', '--mkfs', '--osd-uuid', osdUuid]);
    children.push(daemon('ceph-osd', ['-c', config, '-f', '-i', '0']));
    children.push(daemon('radosgw', ['-c', config, '-f', '-n', 'client.rgw']));
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitForGateway(endpoint, children, dir);
    const accessKeyId = randomBytes(10).toString('hex').toUpperCase();
    const secretAccessKey = randomBytes(20).toString('base64url');
    await run('radosgw-admin', ['-c', config, 'user', 'create', '--uid=lianluo-spec', '--display-name=lianluo spec',
      `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`], { timeout: 30_000 });
    return { endpoint, region: 'us-east-1', accessKeyId, secretAccessKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
keyring = ${dir}/keyring
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
ms bind msgr1 = false
mon data = ${dir}/mon/$cluster-$id
mon data avail warn = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd data = ${dir}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 536870912
osd max object name len = 460
osd max object namespace len = 64
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`;
}

function daemon(command: string, args: string[]): ChildProcess {
  const child = SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], { stdio: 'ignore' })
    : spawn(command, args, { stdio: 'ignore' });
  child.once('error', () => undefined); // reported by waitForGateway as an exit
  return child;
}

async function waitForGateway(endpoint: string, children: ChildProcess[], dir: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const exited = children.find((child) => child.exitCode !== null || child.signalCode !== null);
    if (exited) throw new Error(`${String(exited.spawnargs.join(' '))} exited with ${exited.exitCode ?? exited.signalCode}${await logTails(dir)}`);
    try {
      if ((await fetch(endpoint, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Ceph object gateway did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms${await logTails(dir)}`);
}

async function logTails(dir: string): Promise<string> {
  const tails = await Promise.all(
    ['mon.a', 'osd.0', 'client.rgw'].map(async (name) => {
      const log = await readFile(join(dir, 'log', `${name}.log`), 'utf8').catch(() => '');
      return `\n--- ${name}.log\n${log.split('\n').slice(-15).join('\n')}`;
    }),
  );
  return tails.join('');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}
