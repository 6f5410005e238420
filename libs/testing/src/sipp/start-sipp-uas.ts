import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, udpFree } from '../infra/free-port';
import { type SippOptions, type SippRun, startSipp } from './run-sipp';

export interface SippUasOptions extends Omit<SippOptions, 'scenario' | 'target' | 'localAddress'> {
  /** Default `uas-agent.xml`. */
  readonly scenario?: string;
  /**
   * Address the phone listens on. Default 127.0.3.1: outside the sites' trunk range
   * (127.0.0.0/24), so a request from this phone is never taken for the PSTN trunk.
   */
  readonly localAddress?: string;
}

/** A SIPp phone waiting for calls. */
export interface SippUas extends SippRun {
  /** The contact to give an agent phone (`staticContact`), e.g. `sip:1001@127.0.3.1:5072`. */
  contact(user?: string): string;
}

/**
 * Starts SIPp as an agent's phone that answers incoming INVITEs (uas-agent.xml, speaking
 * sip-tester's A-law sample unless `keys.audio_pcap` says otherwise); resolves once it listens. Give its contact() to an agent as
 * `staticContact`, then await `done` for the outcome of the call(s).
 */
export async function startSippUas(options: SippUasOptions = {}): Promise<SippUas> {
  const localAddress = options.localAddress ?? '127.0.3.1';
  const localPort = options.localPort ?? (await freePort(localAddress));
  const run = await startSipp({
    ...options,
    scenario: options.scenario ?? 'uas-agent.xml',
    localAddress,
    localPort,
  });
  await listening(run, localAddress, localPort);
  const service = options.service ?? '100';
  return { ...run, contact: (user = service) => `sip:${user}@${localAddress}:${localPort}` };
}

/** Resolves once SIPp holds its UDP port; rejects with SIPp's output if it ends first. */
async function listening(run: SippRun, address: string, port: number): Promise<void> {
  let ended = false;
  void run.done.then(() => (ended = true));
  for (let attempt = 0; attempt < 250 && !ended; attempt++) {
    if (!(await udpFree(address, port))) return;
    await sleep(20);
  }
  run.stop();
  const result = await run.done;
  throw new Error(`SIPp did not listen on ${address}:${port}:\n${result.errors || result.stderr || result.stdout.slice(-2000)}`);
}
