import { parseRequest } from '@lianluo/config';
import { type RecordingStore } from '@lianluo/recording-store';
import { Controller, Get, Headers, Inject, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { tenantParam } from '../http/identifiers';
import { RECORDING_STORE } from '../messages/recording-store.token';
import { sendRecording } from '../messages/recording-response';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SignedTakeGuard } from './signed-take.guard';

const takeAddress = z.object({
  tenant: tenantParam,
  file: z.string().regex(/^[A-Za-z0-9._-]{1,128}\.wav$/, { error: 'must be <recording id>.wav' }),
});

/**
 * The takes of sessions in progress, for Asterisk to fetch when a caller listens to their
 * message during review (`sound:http://…`, res_http_media_cache). Asterisk sends no bearer
 * token, so instead of api's identity a take needs the signed, expiring URL voicemail put
 * in the play command (SignedTakeGuard): nobody else can make one.
 */
@UseGuards(SignedTakeGuard)
@Controller('takes')
export class TakesController {
  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(RECORDING_STORE) private readonly recordings: RecordingStore,
  ) {}

  @Get(':tenant/:file')
  async take(@Param() params: Record<string, string>, @Headers('range') range: string | undefined, @Res() response: ServerResponse) {
    const { tenant, file } = parseRequest(takeAddress, params, 'path');
    const recordingId = file.slice(0, -'.wav'.length);
    if (!(await this.sessions.takeOf(tenant, recordingId))) {
      throw new NotFoundException({ error: 'not_found', message: `no voicemail take ${recordingId} for tenant ${tenant}` });
    }
    await sendRecording(this.recordings, { tenant, recordingId, fileName: file }, range, response);
  }
}
