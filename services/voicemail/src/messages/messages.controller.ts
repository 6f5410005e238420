import { parseRequest } from '@lianluo/config';
import { type RecordingStore } from '@lianluo/recording-store';
import { ServiceIdentityGuard } from '@lianluo/service-auth';
import { Controller, Get, Headers, Inject, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { messageIdParam, tenantParam } from '../http/identifiers';
import { MessagesRepository, type VoicemailMessage } from './messages.repository';
import { RECORDING_STORE } from './recording-store.token';
import { sendRecording } from './recording-response';

const messageAddress = z.object({ tenant: tenantParam, id: messageIdParam });

/**
 * Messages for agents, through the api edge (only api's service identity gets in):
 * metadata as JSON and the audio with range requests.
 */
@UseGuards(ServiceIdentityGuard)
@Controller()
export class MessagesController {
  constructor(
    private readonly messages: MessagesRepository,
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

  private async find(params: Record<string, string>): Promise<VoicemailMessage> {
    const { tenant, id } = parseRequest(messageAddress, params, 'path');
    const message = await this.messages.find(tenant, id);
    if (!message) throw new NotFoundException({ error: 'not_found', message: `no voicemail ${id} for tenant ${tenant}` });
    return message;
  }
}
