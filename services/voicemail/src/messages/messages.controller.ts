import { parseRequest } from '@lianluo/config';
import { type RecordingStore } from '@lianluo/recording-store';
import { Controller, Get, Headers, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { messageIdParam, tenantParam } from '../http/identifiers';
import { SessionsRepository } from '../sessions/sessions.repository';
import { MessagesRepository, type VoicemailMessage } from './messages.repository';
import { RECORDING_STORE } from './recording-store.token';
import { sendRecording } from './recording-response';

const messageAddress = z.object({ tenant: tenantParam, id: messageIdParam });
const takeAddress = z.object({
  tenant: tenantParam,
  file: z.string().regex(/^[A-Za-z0-9._-]{1,128}\.wav$/, { error: 'must be <recording id>.wav' }),
});

/**
 * Messages for agents (through the api edge, which adds authentication): metadata as JSON
 * and the audio with range requests. Also the takes of sessions in progress, for Asterisk
 * to fetch when a caller listens to their message during review.
 */
@Controller()
export class MessagesController {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly sessions: SessionsRepository,
    @Inject(RECORDING_STORE) private readonly recordings: RecordingStore,
  ) {}

  @Get('voicemails/:tenant/:id')
  async metadata(@Param() params: Record<string, string>) {
    const message = await this.find(params);
    return {
      id: message.id,
      tenant: message.tenant,
      queue: message.queue,
      mailbox: message.mailbox,
      callerNumber: message.callerNumber,
      priority: message.priority,
      callId: message.callId,
      site: message.site,
      contactId: message.contactId,
      receivedAt: message.receivedAt.toISOString(),
      durationMs: message.durationMs,
      state: message.state,
      recording: { id: message.recordingId, location: message.location, contentType: message.contentType, sizeBytes: message.sizeBytes },
      audio: `/voicemails/${message.tenant}/${message.id}/audio`,
    };
  }

  @Get('voicemails/:tenant/:id/audio')
  async audio(@Param() params: Record<string, string>, @Headers('range') range: string | undefined, @Res() response: ServerResponse) {
    const message = await this.find(params);
    await sendRecording(this.recordings, { tenant: message.tenant, recordingId: message.recordingId, fileName: `${message.id}.wav` }, range, response);
  }

  @Get('takes/:tenant/:file')
  async take(@Param() params: Record<string, string>, @Headers('range') range: string | undefined, @Res() response: ServerResponse) {
    const { tenant, file } = parseRequest(takeAddress, params, 'path');
    const recordingId = file.slice(0, -'.wav'.length);
    if (!(await this.sessions.takeOf(tenant, recordingId))) {
      throw new NotFoundException({ error: 'not_found', message: `no voicemail take ${recordingId} for tenant ${tenant}` });
    }
    await sendRecording(this.recordings, { tenant, recordingId, fileName: file }, range, response);
  }

  private async find(params: Record<string, string>): Promise<VoicemailMessage> {
    const { tenant, id } = parseRequest(messageAddress, params, 'path');
    const message = await this.messages.find(tenant, id);
    if (!message) throw new NotFoundException({ error: 'not_found', message: `no voicemail ${id} for tenant ${tenant}` });
    return message;
  }
}
