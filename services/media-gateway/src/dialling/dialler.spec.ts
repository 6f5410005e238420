import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Run in a process of its own on the built Dialler: an unhandled rejection ends a Node
 * process (as it would end the gateway), which the test runner's own handlers would hide.
 */
const SCENARIO = `
require('reflect-metadata');
const { Dialler } = require(process.argv[1]);
let originated;
const ari = { isConnected: true, client: { channels: { originate: () => new Promise((resolve) => (originated = resolve)), hangup: async () => undefined } } };
const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined };
const dialler = new Dialler(ari, { ARI_APP: 'lianluo', SITE: 'bj' }, clock);
const dial = { destination: 'PJSIP/2001', startedAt: 0, timeoutMs: 20000, answered: false, ended: false, hangupCause: undefined, outcome: undefined };
const ringing = dialler.ring(dial, { channelId: 'leg-1', appArgs: 'leg', callerId: undefined, variables: {} });
// The caller hangs up while originate is still on its way: the dial's command fails first.
dial.outcome.reject(new Error('the call ended while PJSIP/2001 rang'));
setImmediate(() => {
  originated();
  ringing.then(
    () => { console.log('answered'); process.exit(1); },
    (error) => { console.log('failed: ' + error.message); setImmediate(() => process.exit(0)); },
  );
});
`;

describe('Dialler.ring', () => {
  it('survives the call ending while originate is still on its way: the ring fails, the process does not', () => {
    const built = resolve(__dirname, '..', '..', 'dist', 'dialling', 'dialler.js');
    const output = execFileSync(process.execPath, ['-e', SCENARIO, built], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output.trim()).toBe('failed: the call ended while PJSIP/2001 rang');
  });
});
