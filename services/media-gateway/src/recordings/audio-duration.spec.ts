import { audioDurationMs } from './audio-duration';

/** A PCM wav as Asterisk writes it: 8 kHz, 16-bit, mono, `dataBytes` of audio. */
function wav(dataBytes: number, extraChunk = 0): Buffer {
  const header = Buffer.alloc(44 + extraChunk);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + extraChunk + dataBytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8_000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  let offset = 36;
  if (extraChunk) {
    header.write('LIST', offset);
    header.writeUInt32LE(extraChunk - 8, offset + 4);
    offset += extraChunk;
  }
  header.write('data', offset);
  header.writeUInt32LE(dataBytes, offset + 4);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}

describe('recording duration from the file', () => {
  it('reads a wav duration from its byte rate and data chunk, past other chunks', () => {
    expect(audioDurationMs('wav', wav(48_000))).toBe(3_000);
    expect(audioDurationMs('wav', wav(16_000, 26))).toBe(1_000);
  });

  it('counts gsm frames of 33 bytes as 20 ms each', () => {
    expect(audioDurationMs('gsm', Buffer.alloc(33 * 150))).toBe(3_000);
  });

  it('does not guess for files it cannot read', () => {
    expect(audioDurationMs('wav', Buffer.from('not a wav at all'))).toBeUndefined();
    expect(audioDurationMs('sln', Buffer.alloc(100))).toBeUndefined();
  });
});
