import { create } from '@bufbuild/protobuf';
import {
  type AnswerCall,
  AnswerCallResultSchema,
  type BridgeLegs,
  BridgeLegsResultSchema,
  type OriginateLeg,
  OriginateLegResultSchema,
  type CallRef,
  CallCommands,
  type CollectDigits,
  CollectDigitsResultSchema,
  type HangUpCall,
  HangUpCallResultSchema,
  type PlayPrompts,
  PlayPromptsResultSchema,
} from '@lianluo/contracts';
import { CommandHandler, NotForThisInstance } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallsService } from './calls.service';
import { CommandOutcomes } from './command-outcomes';

/** Call commands from NATS. Each runs once per command id; other sites' calls are not ours. */
@Injectable()
export class CallsHandlers {
  private readonly outcomes = new CommandOutcomes();

  constructor(private readonly calls: CallsService) {}

  @CommandHandler(CallCommands.answer)
  answer(request: AnswerCall) {
    return this.run(request, async (call) => {
      await this.calls.answer(call);
      return create(AnswerCallResultSchema);
    });
  }

  @CommandHandler(CallCommands.play)
  play(request: PlayPrompts) {
    return this.run(request, async (call) =>
      create(PlayPromptsResultSchema, { playbackId: await this.calls.play(call, request.media, request.interruptible) }),
    );
  }

  @CommandHandler(CallCommands.collectDigits)
  collectDigits(request: CollectDigits) {
    return this.run(request, async (call) =>
      create(
        CollectDigitsResultSchema,
        await this.calls.collect(call, {
          maxDigits: request.maxDigits,
          terminator: request.terminator,
          firstDigitTimeoutMs: request.firstDigitTimeoutMs,
          interDigitTimeoutMs: request.interDigitTimeoutMs,
        }),
      ),
    );
  }

  @CommandHandler(CallCommands.originateLeg)
  originateLeg(request: OriginateLeg) {
    return this.run(request, async (call) => {
      const target = request.destination?.target;
      const destination =
        target?.case === 'agent'
          ? ({ kind: 'agent', site: target.value.site, extension: target.value.extension } as const)
          : ({ kind: 'pstn', number: target?.value ?? '' } as const);
      const legId = await this.calls.originate(
        call,
        destination,
        { number: request.callerIdNumber, name: request.callerIdName },
        request.timeoutMs,
      );
      return create(OriginateLegResultSchema, { legId });
    });
  }

  @CommandHandler(CallCommands.bridgeLegs)
  bridgeLegs(request: BridgeLegs) {
    return this.run(request, async (call) =>
      create(BridgeLegsResultSchema, { bridgeId: await this.calls.bridge(call, request.legId, request.endTogether) }),
    );
  }

  @CommandHandler(CallCommands.hangUp)
  hangUp(request: HangUpCall) {
    return this.run(request, async (call) => {
      await this.calls.hangUp(call, request.cause);
      return create(HangUpCallResultSchema);
    });
  }

  private run<T>(request: { commandId: string; call?: CallRef | undefined }, execute: (call: CallRef) => Promise<T>): Promise<T> {
    const call = request.call as CallRef; // validated by the contract before we are called
    if (call.site !== this.calls.site) throw new NotForThisInstance(`call ${call.callId} belongs to site ${call.site}`);
    return this.outcomes.once(request.commandId, () => execute(call));
  }
}
