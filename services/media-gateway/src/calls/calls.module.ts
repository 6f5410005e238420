import { createRecordingStore } from '@lianluo/recording-store';
import { Module } from '@nestjs/common';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { AriConnection } from '../ari/ari-connection';
import { Dialler } from '../dialling/dialler';
import { LegsHandlers } from '../legs/legs.handlers';
import { LegsService } from '../legs/legs.service';
import { PlacedCallsHandlers } from '../placed-calls/placed-calls.handlers';
import { PlacedCallsService } from '../placed-calls/placed-calls.service';
import { RecordingsHandlers } from '../recordings/recordings.handlers';
import { RecordingsService } from '../recordings/recordings.service';
import { RECORDING_STORE } from '../recordings/recording-store.token';
import { TransitService } from '../transit/transit.service';
import { CallCommandRunner } from './call-command-runner';
import { CallRegistry } from './call-registry';
import { CallsAri } from './calls.ari';
import { CallEventsNotifier } from './calls.events';
import { CallsHandlers } from './calls.handlers';
import { CallsService } from './calls.service';
import { CLOCK, systemClock } from './clock';
import { LiveCallLedger } from './live-call-ledger';
import { NumberPlan } from './number-plan';

@Module({
  providers: [
    AriConnection,
    CallRegistry,
    CallsService,
    LegsService,
    Dialler,
    PlacedCallsService,
    RecordingsService,
    CallsAri,
    CallCommandRunner,
    CallsHandlers,
    LegsHandlers,
    PlacedCallsHandlers,
    RecordingsHandlers,
    CallEventsNotifier,
    LiveCallLedger,
    NumberPlan,
    TransitService,
    { provide: CLOCK, useValue: systemClock },
    {
      provide: RECORDING_STORE,
      inject: [MEDIA_GATEWAY_CONFIG],
      useFactory: (config: MediaGatewayConfig) => createRecordingStore(config),
    },
  ],
  exports: [AriConnection, CallRegistry],
})
export class CallsModule {}
