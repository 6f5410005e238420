import { create } from '@bufbuild/protobuf';
import {
  type AnswerCall,
  AnswerCallResultSchema,
  CallCommands,
  type CollectDigits,
  CollectDigitsResultSchema,
  type GetVariable,
  GetVariableResultSchema,
  type HangUpCall,
  HangUpCallResultSchema,
  type PlayPrompts,
  PlayPromptsResultSchema,
  type SendDtmf,
  SendDtmfResultSchema,
  type SetMusicOnHold,
  SetMusicOnHoldResultSchema,
  type SetVariables,
  SetVariablesResultSchema,
  type StopPlayback,
  StopPlaybackResultSchema,
} from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallCommandRunner } from './call-command-runner';
import { CallsService } from './calls.service';

/** Commands on the caller's channel (and, where a leg id is given, on a leg's). */
@Injectable()
export class CallsHandlers {
  constructor(
    private readonly calls: CallsService,
    private readonly runner: CallCommandRunner,
  ) {}

  @CommandHandler(CallCommands.answer)
  answer(request: AnswerCall) {
    return this.runner.run(request, async (call) => {
      await this.calls.answer(call);
      return create(AnswerCallResultSchema);
    });
  }

  @CommandHandler(CallCommands.play)
  play(request: PlayPrompts) {
    return this.runner.run(request, async (call) =>
      create(PlayPromptsResultSchema, { playbackId: await this.calls.play(call, request.media, request.interruptible, request.legId) }),
    );
  }

  @CommandHandler(CallCommands.stopPlayback)
  stopPlayback(request: StopPlayback) {
    return this.runner.run(request, async (call) => {
      await this.calls.stopPlayback(call, request.playbackId);
      return create(StopPlaybackResultSchema);
    });
  }

  @CommandHandler(CallCommands.collectDigits)
  collectDigits(request: CollectDigits) {
    return this.runner.run(request, async (call) =>
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

  @CommandHandler(CallCommands.setMusicOnHold)
  setMusicOnHold(request: SetMusicOnHold) {
    return this.runner.run(request, async (call) => {
      await this.calls.setMusicOnHold(call, request.legId, request.on, request.mohClass);
      return create(SetMusicOnHoldResultSchema);
    });
  }

  @CommandHandler(CallCommands.sendDtmf)
  sendDtmf(request: SendDtmf) {
    return this.runner.run(request, async (call) => {
      await this.calls.sendDtmf(call, request.legId, request.digits);
      return create(SendDtmfResultSchema);
    });
  }

  @CommandHandler(CallCommands.setVariables)
  setVariables(request: SetVariables) {
    return this.runner.run(request, async (call) => {
      await this.calls.setVariables(call, request.legId, request.variables);
      return create(SetVariablesResultSchema);
    });
  }

  @CommandHandler(CallCommands.getVariable)
  getVariable(request: GetVariable) {
    return this.runner.run(request, async (call) =>
      create(GetVariableResultSchema, { value: await this.calls.getVariable(call, request.legId, request.name) }),
    );
  }

  @CommandHandler(CallCommands.hangUp)
  hangUp(request: HangUpCall) {
    return this.runner.run(request, async (call) => {
      await this.calls.hangUp(call, request.cause);
      return create(HangUpCallResultSchema);
    });
  }
}
