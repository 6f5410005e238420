import { parseRequest } from '@lianluo/config';
import { type RecordingStore } from '@lianluo/recording-store';
import { Controller, ForbiddenException, Get, Headers, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { tenantParam } from '../http/identifiers';
import { RECORDING_STORE } from '../messages/recording-store.token';
import { sendRecording } from '../messages/recording-response';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TakeUrls } from './take-urls';

const takeAddress = z.object({
  tenant: tenantParam,
  file: z.string().regex(/^[A-Za-z0-9._-]{1,128}\.wav$/, { error: 'must be <recording id>.wav' }),
});

const signedQuery = z.object({
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * The takes of sessions in progress, for Asterisk to fetch when a caller listens to their
 * message during review (`sound:http://…`, res_http_media_cache). Asterisk sends no bearer
 * token, so instead of api's identity a take needs the signed, expiring URL voicemail put
 * in the play command: nobody else can make one.
 */
@Controller('takes')
export class TakesController {
  constructor(
    private readonly urls: TakeUrls,
    private readonly sessions: SessionsRepository,
    @Inject(RECORDING_STORE) private readonly recordings: RecordingStore,
  ) {}

  @Get(':tenant/:file')
  async take(@Param() params: Record<string, string>, @Query() query: Record<string, unknown>, @Headers('range') range: string | undefined, @Res() response: ServerResponse) {
    const { tenant, file } = parseRequest(takeAddress, params, 'path');
    const signed = signedQuery.safeParse(query);
    if (!signed.success || !this.urls.isValid({ tenant, file, expires: signed.data.expires }, signed.data.signature)) {
      throw new ForbiddenException({ error: 'forbidden', message: 'a take is served only at the signed URL voicemail gave, until it expires' });
    }
    const recordingId = file.slice(0, -'.wav'.length);
    if (!(await this.sessions.takeOf(tenant, recordingId))) {
      throw new NotFoundException({ error: 'not_found', message: `no voicemail take ${recordingId} for tenant ${tenant}` });
    }
    await sendRecording(this.recordings, { tenant, recordingId, fileName: file }, range, response);
  }
}
