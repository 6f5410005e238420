// `npm run call -- [number] [keys] [--from <caller>] [--site bj|sz] [--wait <seconds>]`:
// one call from the PSTN trunk (SIPp at 127.0.0.1) into the stack `npm start` runs. Once
// answered the caller keys `keys` (RFC 4733 digits, 1.4 s apart; `-` for none), and the
// call's events are printed as the stack publishes them. The caller hangs up `--wait`
// seconds after the ivr handed the call on, unless an agent answered (then the agent hangs
// up); Ctrl-C hangs up at once. LIANLUO_STATE_DIR names the stack when it is not the default.
import { create } from '@bufbuild/protobuf';
import { CallCommands, type CallRef, ErrorKind, FlowOutcome } from '@lianluo/contracts';
import { CommandClient, MessagingConnection } from '@lianluo/messaging';
import { type SippResult, shippedDtmfPcap, startSipp, writeDtmfPcap } from '@lianluo/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallEvents, describeCallEvent } from './local-stack/call-events';
import { DEMO_CALLERS } from './local-stack/demo-centre';
import { readRunningStack } from './local-stack/running-stack';
import { stateDirOf } from './local-stack/stack-settings';

const USAGE = 'usage: npm run call -- [number (100)] [keys (1), - for none] [--from <caller> (13800000001)] [--site bj|sz (bj)] [--wait <seconds> (60)]';
/** After the answer, before the first key: the greeting has started. */
const KEYS_AFTER_MS = 1_500;
/** Each key is held this long, then this long until the next: each menu and prompt starts before the next key comes. */
const KEY_TONE_MS = 200;
const KEY_GAP_MS = 1_200;
/** After its last key (or the answer) SIPp is waiting for the BYE well within this. */
const SIPP_SETTLE_MS = 1_000;
/** Bound on the whole call, a conversation with an agent included. */
const CALL_LIMIT_MS = 60 * 60_000;

interface CallOptions {
  readonly number: string;
  readonly keys: string;
  readonly from: string;
  readonly site: 'bj' | 'sz';
  readonly waitSeconds: number;
}

function parseArguments(args: readonly string[]): CallOptions {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    if (arg.startsWith('--')) {
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      flags[arg.slice(2)] = value;
    } else positional.push(arg);
  }
  // The older form `npm run call -- <number> <digit> <site>` still works.
  const [number = '100', keys = '1', site = flags.site ?? 'bj'] = positional;
  const unknown = Object.keys(flags).filter((flag) => !['from', 'site', 'wait'].includes(flag));
  const problems = [
    ...unknown.map((flag) => `unknown option --${flag}`),
    ...(/^[0-9*#+]{1,32}$/.test(number) ? [] : [`number "${number}": digits only`]),
    ...(keys === '-' || /^[0-9*#A-D]{1,32}$/.test(keys) ? [] : [`keys "${keys}": 0-9, *, #, A-D (or - for none)`]),
    ...(site === 'bj' || site === 'sz' ? [] : [`site "${site}": bj or sz`]),
    ...(/^\+?[0-9]{3,20}$/.test(flags.from ?? DEMO_CALLERS.ordinary) ? [] : [`--from "${flags.from}": 3 to 20 digits`]),
    ...(/^[0-9]{1,5}$/.test(flags.wait ?? '60') ? [] : [`--wait "${flags.wait}": whole seconds`]),
  ];
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return { number, keys: keys === '-' ? '' : keys, from: flags.from ?? DEMO_CALLERS.ordinary, site: site as 'bj' | 'sz', waitSeconds: Number(flags.wait ?? '60') };
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const stack = await readRunningStack(stateDirOf());
  const target = stack.sites[options.site].sipTarget;
  const connection = await MessagingConnection.connect({ servers: stack.natsUrl, namespace: stack.namespace, connectionName: 'npm-run-call', queueGroup: 'npm-run-call' });
  const scratch = await mkdtemp(join(tmpdir(), 'lianluo-call-'));
  try {
    const pcap = options.keys ? join(scratch, 'keys.pcap') : shippedDtmfPcap('#'); // SIPp loads a pcap even when none is played
    if (options.keys) await writeDtmfPcap(options.keys, pcap, { toneMs: KEY_TONE_MS, gapMs: KEY_GAP_MS });
    console.log(`calling sip:${options.number}@${target} from ${options.from} (the PSTN trunk)${options.keys ? `, keying ${options.keys}` : ''}…`);

    const commands = new CommandClient(connection);
    let holdTimer: NodeJS.Timeout | undefined;
    let endedBy = 'Lianluo';
    let interrupted = false;
    // SIPp cannot hang up while it waits for the far end's BYE: the caller hangs up by having
    // the call's gateway end the call, once SIPp waits (a BYE while it pauses fails the call).
    let hangingUp: Promise<void> = Promise.resolve();
    const hangUp = (call: CallRef, why: string) => {
      endedBy = `the caller (${why})`;
      hangingUp = commands
        .request(CallCommands.hangUp, create(CallCommands.hangUp.request, { commandId: `npm-run-call:${randomUUID()}`, call }), { timeoutMs: 5_000 })
        .then((outcome) => {
          if (!outcome.ok && outcome.error.kind !== ErrorKind.GONE) console.error(`could not hang up: ${outcome.error.message}`);
        });
    };
    let keysDoneAt = 0;
    const events = CallEvents.follow(connection, stack.tenant, options.from, options.number, (event) => {
      console.log(`  ${describeCallEvent(event)}`);
      const call = events.ref as CallRef;
      if (event.name === 'call.answered') keysDoneAt = Date.now() + (options.keys ? KEYS_AFTER_MS + options.keys.length * (KEY_TONE_MS + KEY_GAP_MS) : 0) + SIPP_SETTLE_MS;
      if (event.name === 'ivr.flow_ended' && event.message.outcome !== FlowOutcome.HUNG_UP) {
        const holdMs = Math.max(options.waitSeconds * 1000, keysDoneAt - Date.now());
        holdTimer = setTimeout(() => hangUp(call, `held ${options.waitSeconds} s`), holdMs);
      }
      if (event.name === 'acd.contact_accepted') {
        clearTimeout(holdTimer);
        endedBy = `the agent's side (${(event.message.agent as { agentId: string }).agentId})`;
        console.log('  (an agent answered: the call lasts until the agent hangs up, or Ctrl-C)');
      }
    });
    await connection.nc.flush(); // subscribed before the call starts

    const sipp = await startSipp({
      scenario: 'uac-speaker.xml',
      target,
      service: options.number,
      caller: options.from,
      keys: { dtmf_pcap: pcap },
      values: options.keys ? { digits_after_ms: KEYS_AFTER_MS } : {},
      timeoutMs: CALL_LIMIT_MS,
    });
    process.on('SIGINT', () => {
      interrupted = true;
      if (events.ref) hangUp(events.ref, 'Ctrl-C');
      else sipp.stop();
    });
    const result: SippResult = await sipp.done;
    clearTimeout(holdTimer);
    await hangingUp;
    events.stop();
    if (result.exitCode === 0 || interrupted) {
      console.log(`call ended: hung up by ${endedBy}`);
      return interrupted ? 130 : 0;
    }
    console.log(`call failed (SIPp exit ${result.exitCode ?? result.signal}). Is \`npm start\` running?\n${result.errors || result.stderr}`);
    return 1;
  } finally {
    await connection.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
