import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type ServerResponse } from 'node:http';
import { z } from 'zod';
import { Answers, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { ServiceForwarder } from '../services/service-forwarder';
import { tenantId } from '../tenants/tenant-address';

const messageAddress = z.object({ tenant: tenantId, messageId: z.uuid({ error: 'must be a message id (a UUID)' }) });

/** What voicemail keeps of a message, as voicemail answers it to api. */
interface StoredMessage {
  id: string;
  queue: string;
  mailbox: string;
  callerNumber: string;
  priority: number;
  callId: string;
  site: string;
  contactId: string;
  receivedAt: string;
  durationMs: number;
  state: string;
  recording: { contentType: string; sizeBytes: number };
}

const messageAnswer = z.object({
  messageId: z.string(),
  queue: z.string(),
  mailbox: z.string(),
  callerNumber: z.string(),
  priority: z.number().int(),
  callId: z.string(),
  site: z.string(),
  contactId: z.string().describe('The work item agents are offered for it'),
  receivedAt: z.iso.datetime(),
  durationMs: z.number().int(),
  state: z.string(),
  audio: z.object({ href: z.string(), contentType: z.string(), sizeBytes: z.number().int() }),
});

/** Voicemail messages for the agents who take them as work items (VM-1): details and audio. */
@ApiTags('voicemail')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/voicemails/:messageId')
export class VoicemailsController {
  constructor(private readonly services: ServiceForwarder) {}

  @Get()
  @Allow('read', 'Voicemail')
  @ApiOperation({ summary: 'A message: who called, for which queue, when, how long, and where its audio is' })
  @Answers(200, messageAnswer, [404, 503])
  async message(@ValidPath(messageAddress) { tenant, messageId }: z.output<typeof messageAddress>): Promise<z.input<typeof messageAnswer>> {
    const stored = await this.services.json<StoredMessage>('voicemail', `/voicemails/${tenant}/${encodeURIComponent(messageId)}`);
    // Where the recording is stored stays inside: the audio is served here.
    return {
      messageId: stored.id,
      queue: stored.queue,
      mailbox: stored.mailbox,
      callerNumber: stored.callerNumber,
      priority: stored.priority,
      callId: stored.callId,
      site: stored.site,
      contactId: stored.contactId,
      receivedAt: stored.receivedAt,
      durationMs: stored.durationMs,
      state: stored.state,
      audio: { href: `/v1/tenants/${tenant}/voicemails/${encodeURIComponent(messageId)}/audio`, contentType: stored.recording.contentType, sizeBytes: stored.recording.sizeBytes },
    };
  }

  @Get('audio')
  @Allow('read', 'Voicemail')
  @ApiProduces('audio/wav')
  @ApiOperation({ summary: "The message's audio; Range requests are answered 206, so a player can seek" })
  @Answers(200, undefined, [404, 503])
  async audio(@ValidPath(messageAddress) { tenant, messageId }: z.output<typeof messageAddress>, @Headers('range') range: string | undefined, @Res() res: ServerResponse): Promise<void> {
    await this.services.pipe('voicemail', `/voicemails/${tenant}/${encodeURIComponent(messageId)}/audio`, { ...(range ? { range } : {}) }, res);
  }
}
