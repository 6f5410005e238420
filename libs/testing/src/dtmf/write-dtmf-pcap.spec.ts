import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDtmfPcap } from './write-dtmf-pcap';

/** A telephone-event packet as read back from a pcap. */
interface EventPacket {
  readonly atUs: number;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly digit: string;
  readonly end: boolean;
  readonly duration: number;
  readonly udpChecksumOk: boolean;
}

const DIGITS = '0123456789*#ABCD';

/** Reads a little-endian, microsecond, Ethernet pcap of IPv4/UDP/RTP telephone-event packets. */
function readPcap(data: Buffer): EventPacket[] {
  expect(data.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(data.readUInt32LE(20)).toBe(1);
  const packets: EventPacket[] = [];
  for (let at = 24; at < data.length; ) {
    const length = data.readUInt32LE(at + 8);
    const frame = data.subarray(at + 16, at + 16 + length);
    const atUs = data.readUInt32LE(at) * 1_000_000 + data.readUInt32LE(at + 4);
    at += 16 + length;
    expect(frame.readUInt16BE(12)).toBe(0x0800);
    const ip = frame.subarray(14);
    expect(ip.readUInt8(9)).toBe(17);
    const udp = ip.subarray(20);
    expect(udp.readUInt16BE(4)).toBe(udp.length);
    const rtp = udp.subarray(8);
    expect(rtp.readUInt8(0)).toBe(0x80);
    packets.push({
      atUs,
      marker: (rtp.readUInt8(1) & 0x80) !== 0,
      payloadType: rtp.readUInt8(1) & 0x7f,
      sequence: rtp.readUInt16BE(2),
      timestamp: rtp.readUInt32BE(4),
      ssrc: rtp.readUInt32BE(8),
      digit: DIGITS[rtp.readUInt8(12)] as string,
      end: (rtp.readUInt8(13) & 0x80) !== 0,
      duration: rtp.readUInt16BE(14),
      udpChecksumOk: onesComplementSum(Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 17]), udp.subarray(4, 6), udp])) === 0xffff,
    });
  }
  return packets;
}

function onesComplementSum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i] as number) * 256 + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The packets of each digit event, keyed by RTP timestamp, in order. */
function events(packets: EventPacket[]): EventPacket[][] {
  const byTimestamp = new Map<number, EventPacket[]>();
  for (const packet of packets) byTimestamp.set(packet.timestamp, [...(byTimestamp.get(packet.timestamp) ?? []), packet]);
  return [...byTimestamp.values()];
}

describe('writeDtmfPcap', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lianluo-dtmf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function written(digits: string, options?: Parameters<typeof writeDtmfPcap>[2]): Promise<EventPacket[]> {
    const file = join(dir, `${Math.random()}.pcap`);
    await writeDtmfPcap(digits, file, options);
    return readPcap(await readFile(file));
  }

  it('writes one telephone-event per digit, in the order given', async () => {
    const digitEvents = events(await written('12#*9A'));
    expect(digitEvents.map((packets) => [...new Set(packets.map((p) => p.digit))].join(''))).toEqual(['1', '2', '#', '*', '9', 'A']);
  });

  it('starts every digit at a later RTP timestamp and sequence number, so Asterisk takes none as out of order', async () => {
    const digitEvents = events(await written('555'));
    const starts = digitEvents.map((packets) => packets[0] as EventPacket);
    expect(starts.map((p) => p.timestamp)).toEqual([...starts.map((p) => p.timestamp)].sort((a, b) => a - b));
    expect(new Set(starts.map((p) => p.timestamp)).size).toBe(3);
    for (let i = 1; i < starts.length; i++) {
      const previous = digitEvents[i - 1] as EventPacket[];
      expect((starts[i] as EventPacket).sequence).toBeGreaterThan((previous[previous.length - 1] as EventPacket).sequence);
    }
  });

  it('marks the first packet of an event, grows its duration, and sends its end three times', async () => {
    for (const packets of events(await written('73', { toneMs: 100 }))) {
      const updates = packets.filter((p) => !p.end);
      const ends = packets.filter((p) => p.end);
      expect(packets.map((p) => p.marker)).toEqual([true, ...Array<boolean>(packets.length - 1).fill(false)]);
      expect(updates.map((p) => p.duration)).toEqual([0, 160, 320, 480, 640]);
      expect(updates.map((p) => p.sequence - (updates[0] as EventPacket).sequence)).toEqual([0, 1, 2, 3, 4]);
      expect(ends).toHaveLength(3);
      expect(new Set(ends.map((p) => `${p.sequence}/${p.duration}`))).toEqual(new Set([`${(updates[4] as EventPacket).sequence + 1}/800`]));
    }
  });

  it('spaces packets 20 ms apart and digits by the gap asked for', async () => {
    const packets = await written('12', { toneMs: 40, gapMs: 300 });
    const gapsMs = packets.slice(1).map((p, i) => (p.atUs - (packets[i] as EventPacket).atUs) / 1000);
    expect(gapsMs).toEqual([20, 20, 20, 20, 300, 20, 20, 20, 20]);
  });

  it('writes payload type 101 by default, one SSRC and valid UDP checksums', async () => {
    const packets = await written('0');
    expect(new Set(packets.map((p) => p.payloadType))).toEqual(new Set([101]));
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
    expect(packets.every((p) => p.udpChecksumOk)).toBe(true);
    expect(new Set((await written('0', { payloadType: 96 })).map((p) => p.payloadType))).toEqual(new Set([96]));
  });

  it('refuses what is not a DTMF digit', async () => {
    await expect(written('12x')).rejects.toThrow('"x" is not a DTMF digit');
    await expect(written('')).rejects.toThrow('at least one digit');
  });
});
