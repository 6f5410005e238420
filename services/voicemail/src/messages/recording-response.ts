import { type RecordingStore } from '@lianluo/recording-store';
import { NotFoundException } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { rangeOf } from './byte-range';

/** Bytes `start`..`end` (inclusive) of a stream, ending it as soon as they have passed. */
async function* slice(source: AsyncIterable<Buffer>, start: number, end: number): AsyncGenerator<Buffer> {
  let offset = 0;
  for await (const chunk of source) {
    const from = Math.max(0, start - offset);
    const to = Math.min(chunk.length, end + 1 - offset);
    if (from < to) yield chunk.subarray(from, to);
    offset += chunk.length;
    if (offset > end) return;
  }
}

/**
 * Answers with a stored recording, honouring a single byte range: 200 with the whole body,
 * 206 with `Content-Range: bytes a-b/size`, or 416 with `Content-Range: bytes *\/size`.
 * Browsers' audio elements and the api edge's proxy seek with these.
 */
export async function sendRecording(
  store: RecordingStore,
  recording: { tenant: string; recordingId: string; fileName: string },
  rangeHeader: string | undefined,
  response: ServerResponse,
): Promise<void> {
  const stored = await store.head(recording.tenant, recording.recordingId);
  if (!stored) throw new NotFoundException({ error: 'not_found', message: `the audio of ${recording.fileName} is no longer in the recording store` });
  const size = stored.sizeBytes;
  const range = rangeOf(rangeHeader, size);
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('Content-Type', stored.contentType);
  response.setHeader('Content-Disposition', `inline; filename="${recording.fileName}"`);
  if (range.kind === 'unsatisfiable') {
    response.statusCode = 416;
    response.setHeader('Content-Range', `bytes */${size}`);
    response.end();
    return;
  }
  const { start, end } = range.kind === 'partial' ? range : { start: 0, end: size - 1 };
  response.statusCode = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') response.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  response.setHeader('Content-Length', String(end - start + 1));
  const { body } = await store.open(recording.tenant, recording.recordingId);
  await pipeline(body as AsyncIterable<Buffer>, (source: AsyncIterable<Buffer>) => slice(source, start, end), response);
}
