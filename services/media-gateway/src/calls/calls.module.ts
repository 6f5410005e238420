import { Module } from '@nestjs/common';
import { AriConnection } from '../ari/ari-connection';
import { CallsAri } from './calls.ari';
import { CallEventsNotifier } from './calls.events';
import { CallsHandlers } from './calls.handlers';
import { CallsService } from './calls.service';
import { CLOCK, systemClock } from './clock';
import { TransitService } from '../transit/transit.service';

@Module({
  providers: [AriConnection, CallsService, CallsAri, CallsHandlers, CallEventsNotifier, TransitService, { provide: CLOCK, useValue: systemClock }],
  exports: [AriConnection],
})
export class CallsModule {}
