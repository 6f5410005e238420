import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Channel, ChannelDestroyed, ChannelStateChange, StasisEnd, StasisStart } from 'ari-client';
import { AriConnection } from '../ari/ari-connection';
import { endpointOf } from '../calls/calls.service';
import { CHANNEL_VARS } from '../calls/live-call';
import { NORMAL_CLEARING } from '../calls/q850';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';

/** The far site's longest ring; the originating site's own timeout ends it sooner. */
const TRANSIT_RING_SECONDS = 300;

interface Transit {
  readonly inboundId: string;
  readonly agentId: string;
  bridgeId: string | undefined;
}

/**
 * The far end of the inter-site trunk (TEL-3): a leg that another site's gateway dialled
 * to one of our agents arrives here from `site-<other>`. We ring the agent's phone, pass
 * ringing back, answer the trunk leg only when the agent answers, and tie both together
 * so a hang-up on either side ends the other. The originating site owns the call and
 * publishes its events; this is plumbing and publishes none.
 */
@Injectable()
export class TransitService {
  private readonly logger = new Logger(TransitService.name);
  private readonly byChannel = new Map<string, Transit>();

  constructor(
    private readonly ari: AriConnection,
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
  ) {}

  /** Whether a StasisStart belongs to transit rather than to a call of this site. */
  claims(event: StasisStart, channel: Channel): boolean {
    return event.args?.[0] === 'transit' || (!event.args?.length && endpointOf(channel.name).startsWith('site-'));
  }

  async onStasisStart(event: StasisStart, channel: Channel): Promise<void> {
    const client = this.ari.client;
    if (event.args?.[0] === 'transit') {
      const transit = this.byChannel.get(channel.id);
      if (!transit) {
        await client.channels.hangup({ channelId: channel.id }).catch(() => undefined);
        return;
      }
      transit.bridgeId = `${transit.inboundId}-transit`;
      await client.channels.answer({ channelId: transit.inboundId });
      await client.bridges.create({ type: 'mixing', bridgeId: transit.bridgeId, name: transit.inboundId });
      await client.bridges.addChannel({ bridgeId: transit.bridgeId, channel: `${transit.inboundId},${transit.agentId}` });
      return;
    }
    const extension = channel.dialplan?.exten ?? '';
    const transit: Transit = { inboundId: channel.id, agentId: `${channel.id}-agent`, bridgeId: undefined };
    this.byChannel.set(transit.inboundId, transit);
    this.byChannel.set(transit.agentId, transit);
    const tenant = await client.channels
      .getChannelVar({ channelId: channel.id, variable: CHANNEL_VARS.tenant })
      .then((v) => v.value)
      .catch(() => '');
    try {
      await client.channels.originate({
        endpoint: `PJSIP/${extension}`,
        app: this.config.ARI_APP,
        appArgs: `transit,${channel.id}`,
        callerId: `"${channel.caller?.name ?? ''}" <${channel.caller?.number ?? ''}>`,
        timeout: TRANSIT_RING_SECONDS,
        channelId: transit.agentId,
        variables: { [CHANNEL_VARS.tenant]: tenant },
      } as never);
    } catch (error) {
      this.logger.warn({ extension, err: (error as Error).message }, 'transit leg to a local phone failed');
      this.forget(transit);
      await client.channels.hangup({ channelId: channel.id, reason_code: '3' } as never).catch(() => undefined);
    }
  }

  onStateChange(_event: ChannelStateChange, channel: Channel): void {
    const transit = this.byChannel.get(channel.id);
    if (transit && channel.id === transit.agentId && channel.state === 'Ringing') {
      void this.ari.client.channels.ring({ channelId: transit.inboundId }).catch(() => undefined);
    }
  }

  onEnded(event: StasisEnd | ChannelDestroyed, channel: Channel): void {
    const transit = this.byChannel.get(channel.id);
    if (!transit) return;
    this.forget(transit);
    const other = channel.id === transit.inboundId ? transit.agentId : transit.inboundId;
    const cause = 'cause' in event && event.cause ? event.cause : NORMAL_CLEARING;
    const client = this.ari.client;
    void client.channels.hangup({ channelId: other, reason_code: String(cause) } as never).catch(() => undefined);
    if (transit.bridgeId) void client.bridges.destroy({ bridgeId: transit.bridgeId }).catch(() => undefined);
  }

  private forget(transit: Transit): void {
    this.byChannel.delete(transit.inboundId);
    this.byChannel.delete(transit.agentId);
  }
}
