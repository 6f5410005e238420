import { Readable, Transform } from 'node:stream';
import type { RecordingToStore } from './recording-store';

/** The body as a Node stream, whatever form the caller handed it in. */
export function recordingBodyStream(body: RecordingToStore['body']): Readable {
  if (body instanceof Uint8Array) return Readable.from([body], { objectMode: false });
  // A stream that is not a stream.Readable (an older-style one) is wrapped in one.
  return body instanceof Readable ? body : new Readable().wrap(body);
}

/** A pass-through that counts the bytes going through it. */
export class ByteCounter extends Transform {
  sizeBytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.sizeBytes += chunk.length;
    callback(null, chunk);
  }
}
