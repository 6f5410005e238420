import { create } from '@bufbuild/protobuf';
import { CallCommands, type PlaceCall, PlaceCallResultSchema } from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallCommandRunner } from '../calls/call-command-runner';
import { dialRequestOf } from '../dialling/dialler';
import { PlacedCallsService } from './placed-calls.service';

/** place_call: a new outbound call from this site, answered before the reply. */
@Injectable()
export class PlacedCallsHandlers {
  constructor(
    private readonly placedCalls: PlacedCallsService,
    private readonly runner: CallCommandRunner,
  ) {}

  @CommandHandler(CallCommands.placeCall)
  placeCall(request: PlaceCall) {
    return this.runner.run(request, async (call) => {
      await this.placedCalls.place(call, dialRequestOf(request));
      return create(PlaceCallResultSchema);
    });
  }
}
