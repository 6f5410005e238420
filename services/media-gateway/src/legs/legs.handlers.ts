import { create } from '@bufbuild/protobuf';
import {
  type BlindTransfer,
  BlindTransferResultSchema,
  type BridgeLegs,
  BridgeLegsResultSchema,
  CallCommands,
  type EndConsultation,
  EndConsultationResultSchema,
  type HangUpLeg,
  HangUpLegResultSchema,
  type JoinSupervisor,
  JoinSupervisorResultSchema,
  type OriginateLeg,
  OriginateLegResultSchema,
  type StartConsultation,
  StartConsultationResultSchema,
} from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallCommandRunner } from '../calls/call-command-runner';
import { dialRequestOf, dialTargetOf } from '../dialling/dialler';
import { LegsService } from './legs.service';

/** Commands that dial, bridge, transfer and supervise legs of a call. */
@Injectable()
export class LegsHandlers {
  constructor(
    private readonly legs: LegsService,
    private readonly runner: CallCommandRunner,
  ) {}

  @CommandHandler(CallCommands.originateLeg)
  originateLeg(request: OriginateLeg) {
    return this.runner.run(request, async (call) =>
      create(OriginateLegResultSchema, { legId: await this.legs.originate(call, dialRequestOf(request)) }),
    );
  }

  @CommandHandler(CallCommands.bridgeLegs)
  bridgeLegs(request: BridgeLegs) {
    return this.runner.run(request, async (call) =>
      create(BridgeLegsResultSchema, { bridgeId: await this.legs.bridge(call, request.legId, request.endTogether) }),
    );
  }

  @CommandHandler(CallCommands.hangUpLeg)
  hangUpLeg(request: HangUpLeg) {
    return this.runner.run(request, async (call) => {
      await this.legs.hangUpLeg(call, request.legId, request.cause);
      return create(HangUpLegResultSchema);
    });
  }

  @CommandHandler(CallCommands.blindTransfer)
  blindTransfer(request: BlindTransfer) {
    return this.runner.run(request, async (call) =>
      create(BlindTransferResultSchema, { legId: await this.legs.blindTransfer(call, dialTargetOf(request.destination), request.timeoutMs) }),
    );
  }

  @CommandHandler(CallCommands.startConsultation)
  startConsultation(request: StartConsultation) {
    return this.runner.run(request, async (call) =>
      create(StartConsultationResultSchema, {
        consultedLegId: await this.legs.startConsultation(call, request.legId, dialTargetOf(request.destination), request.timeoutMs),
      }),
    );
  }

  @CommandHandler(CallCommands.endConsultation)
  endConsultation(request: EndConsultation) {
    return this.runner.run(request, async (call) => {
      await this.legs.endConsultation(call, request.complete);
      return create(EndConsultationResultSchema);
    });
  }

  @CommandHandler(CallCommands.joinSupervisor)
  joinSupervisor(request: JoinSupervisor) {
    return this.runner.run(request, async (call) =>
      create(JoinSupervisorResultSchema, {
        supervisorLegId: await this.legs.joinSupervisor(call, request.legId, dialTargetOf(request.supervisor), request.mode, request.timeoutMs),
      }),
    );
  }
}
