// `npm start` after provisioning and build: both sites' Asterisk, one media gateway per
// site, in the foreground; Ctrl-C stops everything. Prints how to call in.
import { MessagingConnection } from '@lianluo/messaging';
import { defaultSites, startSites } from '@lianluo/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startDemoIvr } from './demo-ivr';

const root = resolve(__dirname, '..');

async function main() {
  const sites = await startSites({ runId: 'local', fixedPorts: true }).catch((error: Error) => {
    console.error(`could not start Asterisk: ${error.message}`);
    console.error('is another `npm start` running? Ports 5060/8088 on 127.0.1.1 and 127.0.2.1 must be free.');
    process.exit(1);
  });
  const gateways: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const gateway of gateways) gateway.kill('SIGTERM');
    await Promise.all(gateways.map((g) => (g.exitCode === null ? new Promise((r) => g.once('exit', r)) : undefined)));
    await Promise.all([sites.bj.stop(), sites.sz.stop()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const [index, instance] of [sites.bj, sites.sz].entries()) {
    const gateway = spawn(process.execPath, [resolve(root, 'services/media-gateway/dist/main.js')], {
      env: {
        ...process.env,
        SITE: instance.site.name,
        ARI_URL: instance.ariUrl,
        ARI_USER: instance.ariUser,
        ARI_PASSWORD: instance.ariPassword,
        ARI_APP: instance.site.stasisApp,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(3101 + index),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    gateway.once('exit', (code) => {
      if (!stopping) {
        console.error(`media-gateway ${instance.site.name} exited (${code}); stopping the stack`);
        void stop(1);
      }
    });
    gateways.push(gateway);
  }

  const nats = await MessagingConnection.connect({
    servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    namespace: 'lianluo',
    connectionName: 'demo-ivr',
    queueGroup: 'demo-ivr',
  });
  const ivr = await startDemoIvr(nats);
  process.on('exit', () => void ivr.stop());

  const { bj, sz } = defaultSites();
  console.log(`
Lianluo is running (Ctrl-C to stop).

  site  SIP (dial any number)            ARI                          media gateway
  bj    sip:100@${bj.address}:${bj.sipPort}           http://${bj.address}:${bj.httpPort}/ari    http://127.0.0.1:3101/metrics  /health/ready
  sz    sip:100@${sz.address}:${sz.sipPort}           http://${sz.address}:${sz.httpPort}/ari    http://127.0.0.1:3102/metrics  /health/ready

  Calls from 127.0.0.1 arrive as the PSTN trunk of tenant "${bj.tenant}". Agent phones (SIP
  user / password): ${[...bj.agents, ...sz.agents].map((a) => `${a.extension}/${a.password}`).join(', ')}.
  Call events: NATS nats://127.0.0.1:4222, subjects lianluo.${bj.tenant}.call.event.*, stream LIANLUO_CALL.

  A stand-in IVR answers every call: greeting, up to four digits (# ends), read back, hang up.

  A test call from a second terminal (SIPp keys 1, then waits for our hang-up):
    npm run call                 # or: npm run call -- <number> <digit> <site bj|sz>
  which runs
    sipp ${bj.address}:${bj.sipPort} -sf libs/testing/sipp/uac-dtmf.xml -s 100 -i 127.0.0.1 -m 1 …
`);
}

void main();
