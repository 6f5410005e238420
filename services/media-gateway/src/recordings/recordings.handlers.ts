import { create } from '@bufbuild/protobuf';
import { CallCommands, type RecordCall, RecordCallResultSchema, type StopRecording, StopRecordingResultSchema } from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { CallCommandRunner } from '../calls/call-command-runner';
import { RecordingsService } from './recordings.service';

@Injectable()
export class RecordingsHandlers {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly runner: CallCommandRunner,
  ) {}

  @CommandHandler(CallCommands.record)
  record(request: RecordCall) {
    return this.runner.run(request, async (call) =>
      create(RecordCallResultSchema, {
        recordingId: await this.recordings.record(call, {
          target: request.target,
          format: request.format,
          maxDurationMs: request.maxDurationMs,
          maxSilenceMs: request.maxSilenceMs,
          beep: request.beep,
          terminateOn: request.terminateOn,
        }),
      }),
    );
  }

  @CommandHandler(CallCommands.stopRecording)
  stopRecording(request: StopRecording) {
    return this.runner.run(request, async (call) => {
      await this.recordings.stop(call, request.recordingId);
      return create(StopRecordingResultSchema);
    });
  }
}
