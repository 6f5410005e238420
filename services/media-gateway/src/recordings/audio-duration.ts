/**
 * Playing time of a recording from its bytes, more exact than Asterisk's whole seconds:
 * WAV from the header's byte rate and data chunk, GSM from its 33-byte, 20 ms frames.
 */
export function audioDurationMs(format: string, file: Uint8Array): number | undefined {
  if (format === 'gsm') return Math.round((file.length / 33) * 20);
  if (format !== 'wav' || file.length < 12) return undefined;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tag = (offset: number) => String.fromCharCode(...file.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= file.length; ) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 16 <= file.length) byteRate = view.getUint32(offset + 8 + 8, true);
    if (id === 'data') {
      if (!byteRate) return undefined;
      const dataBytes = Math.min(size, file.length - offset - 8);
      return Math.round((dataBytes / byteRate) * 1000);
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
