import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AriConnection } from '../ari/ari-connection';
import { LegsService } from '../legs/legs.service';
import { RecordingsService } from '../recordings/recordings.service';
import { TransitService } from '../transit/transit.service';
import { CallRegistry } from './call-registry';
import { CallsService } from './calls.service';

/** Routes the ARI events of our Stasis application to the services that own them. */
@Injectable()
export class CallsAri implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallsAri.name);

  constructor(
    private readonly ari: AriConnection,
    private readonly calls: CallsService,
    private readonly legs: LegsService,
    private readonly recordings: RecordingsService,
    private readonly transit: TransitService,
    private readonly registry: CallRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.ari.onAri('StasisStart', (event, channel) => {
      if (!this.transit.claims(event, channel)) return this.calls.onStasisStart(event, channel);
      this.transit.onStasisStart(event, channel).catch((error: Error) => this.logger.error({ err: error }, 'transit failed'));
    });
    this.ari.onAri('ChannelStateChange', (event, channel) => {
      this.transit.onStateChange(event, channel);
      this.calls.onStateChange(event, channel);
    });
    this.ari.onAri('ChannelDtmfReceived', (event, channel) => this.calls.onDtmf(event, channel));
    this.ari.onAri('PlaybackStarted', (event, playback) => this.calls.onPlaybackStarted(event, playback));
    this.ari.onAri('PlaybackFinished', (event, playback) => this.calls.onPlaybackFinished(event, playback));
    this.ari.onAri('RecordingFinished', (event, recording) => this.recordings.onFinished(event, recording));
    this.ari.onAri('RecordingFailed', (event, recording) => this.recordings.onFailed(event, recording));
    this.ari.onAri('ChannelEnteredBridge', (event, instances) => this.legs.onEnteredBridge(event, instances.bridge, instances.channel));
    this.ari.onAri('ChannelLeftBridge', (event, instances) => this.legs.onLeftBridge(event, instances.bridge, instances.channel));
    this.ari.onAri('ChannelHangupRequest', (event, channel) => this.calls.onHangupRequest(event, channel));
    this.ari.onAri('StasisEnd', (event, channel) => {
      this.transit.onEnded(event, channel);
      this.calls.onStasisEnd(event, channel);
    });
    this.ari.onAri('ChannelDestroyed', (event, channel) => {
      this.transit.onEnded(event, channel);
      this.calls.onDestroyed(event, channel);
    });
    this.ari.on('connected', () => {
      this.calls
        .resync()
        .then(() => this.registry.markSynced())
        .then(() => this.recordings.resync())
        .catch((error: Error) => this.logger.error({ err: error }, 'resync after ARI connection failed'));
    });
    // Connect in the background: the service is live (and not ready) while Asterisk is away.
    void this.ari.start();
  }
}
