// Reading what SIPp wrote about a run: its statistics (-trace_stat), the response time of
// each call (-trace_rtt) and every SIP message with SIPp's own timestamp (-trace_msg).
import { readFile } from 'node:fs/promises';

/** The first INVITE of a dialog as a SIPp log shows it. */
export interface LoggedInvite {
  readonly callId: string;
  /** SIPp's clock when it sent or received the INVITE, ms (microsecond resolution). */
  readonly atMs: number;
  /** The calling number: the user of the From header. */
  readonly fromUser: string;
  /** The called user: of the Request-URI (an agent phone's extension). */
  readonly requestUser: string;
}

/** One SIP message of a -trace_msg log. */
interface LoggedMessage {
  readonly atMs: number;
  readonly direction: 'sent' | 'received';
  /** `INVITE sip:1101@127.0.3.1:5072 SIP/2.0`, `SIP/2.0 200 OK`. */
  readonly startLine: string;
  readonly callId: string;
  readonly from: string;
  readonly cseq: string;
}

const ENTRY_MARK = /^-{20,} (\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\.(\d{6})$/;
const HEADER = /^(Call-ID|i|From|f|CSeq)\s*:\s*(.*)$/i;

/**
 * The messages of a -trace_msg log: each entry is a line of dashes and SIPp's timestamp,
 * "UDP message sent (509 bytes):" or "UDP message received [309] bytes :", a blank line,
 * the message.
 */
async function loggedMessages(messageLog: string): Promise<LoggedMessage[]> {
  const lines = (await readFile(messageLog, 'utf8').catch(() => '')).split(/\r?\n/);
  const messages: LoggedMessage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const mark = ENTRY_MARK.exec(lines[i] ?? '');
    if (!mark) continue;
    const direction = /message (sent|received)/.exec(lines[i + 1] ?? '')?.[1] as LoggedMessage['direction'] | undefined;
    if (!direction) continue;
    const headers: Record<string, string> = {};
    for (let j = i + 4; j < lines.length && (lines[j] ?? '').trim() !== ''; j++) {
      const header = HEADER.exec(lines[j] as string);
      if (header) headers[({ i: 'call-id', f: 'from' } as Record<string, string>)[(header[1] as string).toLowerCase()] ?? (header[1] as string).toLowerCase()] = (header[2] as string).trim();
    }
    const [, year, month, day, hours, minutes, seconds, micros] = mark.map(Number) as number[];
    // Only differences count: the local time SIPp prints is read as if it were UTC.
    const atMs = Date.UTC(year as number, (month as number) - 1, day, hours, minutes, seconds) + (micros as number) / 1000;
    messages.push({ atMs, direction, startLine: lines[i + 3] ?? '', callId: headers['call-id'] ?? '', from: headers.from ?? '', cseq: headers.cseq ?? '' });
  }
  return messages;
}

/**
 * The first INVITE of each Call-ID that SIPp `sent` or `received`, from a -trace_msg log.
 * Retransmissions and re-INVITEs come later in the same dialog and are left out.
 */
export async function firstInvites(messageLog: string, direction: 'sent' | 'received'): Promise<LoggedInvite[]> {
  const invites = new Map<string, LoggedInvite>();
  for (const message of await loggedMessages(messageLog)) {
    const requestUser = /^INVITE sips?:([^@;>\s]*)@/.exec(message.startLine)?.[1];
    if (message.direction !== direction || requestUser === undefined || message.callId === '' || invites.has(message.callId)) continue;
    const fromUser = /sips?:([^@;>]*)@/.exec(message.from)?.[1] ?? '';
    invites.set(message.callId, { callId: message.callId, atMs: message.atMs, fromUser, requestUser });
  }
  return [...invites.values()];
}

/** Per Call-ID, the time from the INVITE SIPp sent to the first 200 OK it received for it (ms). */
export async function inviteToAnswerMs(messageLog: string): Promise<number[]> {
  const messages = await loggedMessages(messageLog);
  const invited = new Map((await firstInvites(messageLog, 'sent')).map((invite) => [invite.callId, invite.atMs]));
  const answered = new Map<string, number>();
  for (const message of messages) {
    if (message.direction !== 'received' || !/^SIP\/2\.0 200\b/.test(message.startLine) || !/\bINVITE$/i.test(message.cseq)) continue;
    if (!answered.has(message.callId)) answered.set(message.callId, message.atMs);
  }
  return [...answered].flatMap(([callId, atMs]) => {
    const sentAt = invited.get(callId);
    return sentAt === undefined ? [] : [atMs - sentAt];
  });
}

/** The last line of SIPp's -trace_stat file, by column name (`SuccessfulCall(C)`...). */
export async function finalStatistics(statsFile: string): Promise<Record<string, string>> {
  const rows = (await readFile(statsFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line.trim() !== '');
  const header = (rows[0] ?? '').split(';');
  const last = (rows.length > 1 ? (rows[rows.length - 1] as string) : '').split(';');
  return Object.fromEntries(header.map((name, i) => [name, last[i] ?? '']).filter(([name]) => name !== ''));
}

/** Cumulative failure counters of a statistics line that are not zero, e.g. `{ TimeoutOnRecv: 3 }`. */
export function failureCauses(statistics: Record<string, string>): Record<string, number> {
  const causes: Record<string, number> = {};
  for (const [name, value] of Object.entries(statistics)) {
    const cause = /^Failed(\w+)\(C\)$/.exec(name)?.[1];
    if (cause && Number(value) > 0) causes[cause] = Number(value);
  }
  for (const name of ['DeadCallMsgs', 'OutOfCallMsgs', 'FatalErrors', 'Warnings']) {
    const value = Number(statistics[`${name}(C)`] ?? 0);
    if (value > 0) causes[name] = value;
  }
  return causes;
}

/** Response times of response time 1 (INVITE to 200 OK), ms, from a -trace_rtt file. */
export async function responseTimesMs(rttFile: string | undefined): Promise<number[]> {
  if (!rttFile) return [];
  return (await readFile(rttFile, 'utf8').catch(() => ''))
    .split('\n')
    .slice(1)
    .map((line) => line.split(';'))
    .filter((fields) => fields.length >= 3 && fields[2]?.trim() === '1')
    .map((fields) => Number(fields[1]));
}

/** The first lines of SIPp's error log, where it names unexpected messages and timeouts. */
export async function errorLines(errorLog: string, count = 5): Promise<string[]> {
  return (await readFile(errorLog, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, count);
}
