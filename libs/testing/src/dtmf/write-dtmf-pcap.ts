import { writeFile } from 'node:fs/promises';

export interface DtmfPcapOptions {
  /** How long each digit is held. Default 200. */
  readonly toneMs?: number;
  /** From the last packet of a digit to the first of the next. Default 200. */
  readonly gapMs?: number;
  /** RTP payload type of telephone-event, as offered in the SDP. Default 101. */
  readonly payloadType?: number;
  readonly ssrc?: number;
  readonly firstSequence?: number;
  readonly firstTimestamp?: number;
}

/** RFC 4733 event codes. */
const EVENTS: Readonly<Record<string, number>> = {
  ...Object.fromEntries([...'0123456789'].map((digit) => [digit, Number(digit)])),
  '*': 10,
  '#': 11,
  A: 12,
  B: 13,
  C: 14,
  D: 15,
};

const CLOCK_RATE_HZ = 8000;
/** Update interval of an event in progress: one packet per 20 ms, as audio would be. */
const PACKET_MS = 20;
/** The final packet of an event is sent three times (RFC 4733 §2.5.1.4). */
const END_REPEATS = 3;
const VOLUME_DBM0 = 10;
const FRAME_BYTES = 14 + 20 + 8 + 12 + 4; // Ethernet, IPv4, UDP, RTP, telephone-event

/**
 * Writes a pcap SIPp plays with `play_pcap_audio`: RFC 4733 telephone-event packets for
 * each digit in turn, laid out as Debian's `dtmf_2833_*.pcap` (Ethernet/IPv4/UDP, marker on
 * an event's first packet, its end packet sent three times with one sequence number).
 * Every digit starts at a later RTP timestamp and sequence number than the one before:
 * Asterisk drops a digit whose timestamp is not newer than the last one ("out of order").
 * SIPp rewrites the addresses and ports; it keeps the RTP header and the timing.
 */
export async function writeDtmfPcap(digits: string, outFile: string, options: DtmfPcapOptions = {}): Promise<void> {
  await writeFile(outFile, buildDtmfPcap(digits, options));
}

function buildDtmfPcap(digits: string, options: DtmfPcapOptions): Buffer {
  if (digits.length === 0) throw new Error('digits: at least one digit is needed');
  const unknown = [...digits].find((digit) => EVENTS[digit] === undefined);
  if (unknown !== undefined) throw new Error(`digits: "${unknown}" is not a DTMF digit (0-9, *, #, A-D)`);
  const toneMs = options.toneMs ?? 200;
  const gapMs = options.gapMs ?? 200;
  if (toneMs < PACKET_MS || gapMs < PACKET_MS) throw new Error(`toneMs and gapMs must be at least ${PACKET_MS}`);
  const samplesPerPacket = (CLOCK_RATE_HZ * PACKET_MS) / 1000;
  const updates = Math.floor(toneMs / PACKET_MS);
  const payloadType = options.payloadType ?? 101;
  const ssrc = options.ssrc ?? 0x4c4c5431;
  const firstTimestamp = options.firstTimestamp ?? 16000;
  let sequence = options.firstSequence ?? 1000;
  let atMs = 0;

  const frames: Buffer[] = [];
  const send = (rtp: RtpHeader, tone: TelephoneEvent) => {
    frames.push(record(atMs, frame(frames.length, rtp, tone)));
    atMs += PACKET_MS;
  };
  for (const digit of digits) {
    const event = EVENTS[digit] as number;
    // The RTP clock runs with the capture clock, so each digit starts later than the last.
    const timestamp = (firstTimestamp + atMs * (CLOCK_RATE_HZ / 1000)) >>> 0;
    for (let update = 0; update < updates; update++) {
      send({ marker: update === 0, sequence, timestamp, ssrc, payloadType }, { event, end: false, durationSamples: update * samplesPerPacket });
      sequence = (sequence + 1) & 0xffff;
    }
    for (let repeat = 0; repeat < END_REPEATS; repeat++) {
      send({ marker: false, sequence, timestamp, ssrc, payloadType }, { event, end: true, durationSamples: updates * samplesPerPacket });
    }
    sequence = (sequence + 1) & 0xffff;
    atMs += gapMs - PACKET_MS;
  }
  return Buffer.concat([globalHeader(), ...frames]);
}

interface RtpHeader {
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payloadType: number;
}

interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly durationSamples: number;
}

function globalHeader(): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  return header;
}

function record(atMs: number, data: Buffer): Buffer {
  const header = Buffer.alloc(16);
  const atUs = 1_000_000 + atMs * 1000; // capture starts 1 s after the epoch
  header.writeUInt32LE(Math.floor(atUs / 1_000_000), 0);
  header.writeUInt32LE(atUs % 1_000_000, 4);
  header.writeUInt32LE(data.length, 8);
  header.writeUInt32LE(data.length, 12);
  return Buffer.concat([header, data]);
}

function frame(index: number, rtp: RtpHeader, tone: TelephoneEvent): Buffer {
  const buf = Buffer.alloc(FRAME_BYTES);
  // Ethernet: locally administered addresses, IPv4.
  Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]).copy(buf, 0);
  buf.writeUInt16BE(0x0800, 12);
  // IPv4 from 127.0.0.1 to 127.0.0.1 (SIPp sends from its media address to the far end's).
  const ip = 14;
  buf.writeUInt8(0x45, ip);
  buf.writeUInt16BE(FRAME_BYTES - 14, ip + 2);
  buf.writeUInt16BE((index + 1) & 0xffff, ip + 4);
  buf.writeUInt8(64, ip + 8);
  buf.writeUInt8(17, ip + 9);
  buf.writeUInt32BE(0x7f000001, ip + 12);
  buf.writeUInt32BE(0x7f000001, ip + 16);
  buf.writeUInt16BE(internetChecksum(buf.subarray(ip, ip + 20)), ip + 10);
  // UDP; SIPp replaces both ports, keeping their difference to the lowest destination port.
  const udp = ip + 20;
  buf.writeUInt16BE(6000, udp);
  buf.writeUInt16BE(10000, udp + 2);
  buf.writeUInt16BE(FRAME_BYTES - udp, udp + 4);
  // RTP
  const head = udp + 8;
  buf.writeUInt8(0x80, head);
  buf.writeUInt8((rtp.marker ? 0x80 : 0) | rtp.payloadType, head + 1);
  buf.writeUInt16BE(rtp.sequence, head + 2);
  buf.writeUInt32BE(rtp.timestamp, head + 4);
  buf.writeUInt32BE(rtp.ssrc >>> 0, head + 8);
  // telephone-event payload
  const payload = head + 12;
  buf.writeUInt8(tone.event, payload);
  buf.writeUInt8((tone.end ? 0x80 : 0) | VOLUME_DBM0, payload + 1);
  buf.writeUInt16BE(tone.durationSamples, payload + 2);
  buf.writeUInt16BE(udpChecksum(buf.subarray(ip + 12, ip + 20), buf.subarray(udp)), udp + 6);
  return buf;
}

function udpChecksum(addresses: Buffer, datagram: Buffer): number {
  const pseudo = Buffer.alloc(4);
  pseudo.writeUInt8(17, 1);
  pseudo.writeUInt16BE(datagram.length, 2);
  const sum = internetChecksum(Buffer.concat([addresses, pseudo, datagram]));
  return sum === 0 ? 0xffff : sum;
}

function internetChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i] as number) * 256 + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
