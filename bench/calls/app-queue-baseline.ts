// The baseline of the calls bench: Asterisk's own app_queue on the same two sites, added
// to the running instances (queues.conf, app_queue and app_dial loaded, dialplan entries
// added over the CLI), so the sites' rendered configuration stays what the tests use.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AsteriskInstance, type Sites } from '@lianluo/testing';

export type SiteName = 'bj' | 'sz';

/** Numbers the baseline answers: each site's own queue, dialled at that site. */
export const APP_QUEUE_NUMBERS: Readonly<Record<SiteName, string>> = { bj: '8000', sz: '8001' };

export const appQueueName = (site: SiteName) => `bench-${site}`;

/**
 * Answer at once, as our ivr does: a plain Answer() waits up to 500 ms for the caller's
 * first RTP packet, which SIPp callers never send.
 */
const ANSWER = 'Answer(,i)';

/**
 * One queue per site holding that site's agent phones: least recently called first, no
 * wrap-up, a busy phone is not rung (ringinuse = no; a phone's PJSIP device state says
 * busy), every free agent rung for a waiting caller at once (autofill), no announcements.
 */
export function renderQueuesConf(site: SiteName, extensions: readonly string[]): string {
  return [
    '[general]',
    'persistentmembers = no',
    'autofill = yes',
    'shared_lastcall = no',
    '',
    `[${appQueueName(site)}]`,
    'strategy = leastrecent',
    'wrapuptime = 0',
    'ringinuse = no',
    // Per-member ring time; after a round with nobody free, the caller waits `retry` s (1 is the least).
    'timeout = 15',
    'retry = 1',
    'joinempty = yes',
    'leavewhenempty = no',
    'announce-frequency = 0',
    'periodic-announce-frequency = 0',
    'announce-holdtime = no',
    'announce-position = no',
    'musicclass = default',
    ...extensions.map((extension) => `member => PJSIP/${extension},0,Agent ${extension}`),
    '',
  ].join('\n');
}

/**
 * Installs the baseline: at each site its queue, and in from-trunk the site's number
 * (Answer, Queue) ahead of the `_X.` Stasis pattern (an exact extension wins). Site bj also
 * forwards sz's number over the inter-site trunk (Answer, Dial), where sz's from-site
 * context queues it: the cross-site variant, callers at bj, agents at sz.
 */
export async function installAppQueue(sites: Sites, extensions: Readonly<Record<SiteName, readonly string[]>>): Promise<void> {
  for (const name of ['bj', 'sz'] as const) {
    const site = sites[name];
    await writeFile(join(site.hostDir, 'etc', 'asterisk', 'queues.conf'), renderQueuesConf(name, extensions[name]));
    await loadModule(site, 'app_queue.so');
    await loadModule(site, 'app_dial.so');
    const number = APP_QUEUE_NUMBERS[name];
    await addExtension(site, 'from-trunk', number, [ANSWER, `Queue(${appQueueName(name)})`]);
    const members = await site.cli(`queue show ${appQueueName(name)}`);
    const free = (members.match(/\(Not in use\)/g) ?? []).length;
    if (free !== extensions[name].length) {
      throw new Error(`app_queue ${appQueueName(name)} at ${name} has ${free} of ${extensions[name].length} members not in use:\n${members}`);
    }
  }
  await addExtension(sites.bj, 'from-trunk', APP_QUEUE_NUMBERS.sz, [ANSWER, `Dial(PJSIP/${APP_QUEUE_NUMBERS.sz}@site-sz)`]);
  await addExtension(sites.sz, 'from-site', APP_QUEUE_NUMBERS.sz, [ANSWER, `Queue(${appQueueName('sz')})`]);
}

async function loadModule(site: AsteriskInstance, module: string): Promise<void> {
  const output = await site.cli(`module load ${module}`);
  const loaded = await site.cli(`module show like ${module.replace(/\.so$/, '')}`);
  if (!/Running/.test(loaded)) throw new Error(`Asterisk ${site.site.name} could not load ${module}: ${output.trim()}`);
}

async function addExtension(site: AsteriskInstance, context: string, number: string, applications: readonly string[]): Promise<void> {
  for (const [index, application] of applications.entries()) {
    await site.cli(`dialplan add extension ${number},${index + 1},${application} into ${context} replace`);
  }
  const shown = await site.cli(`dialplan show ${number}@${context}`);
  if (!shown.includes(`'${number}'`)) throw new Error(`Asterisk ${site.site.name}: ${number}@${context} was not added:\n${shown}`);
}
