import { type CallRef } from '@lianluo/contracts';
import { NotForThisInstance } from '@lianluo/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { MEDIA_GATEWAY_CONFIG, type MediaGatewayConfig } from '../media-gateway.config';
import { CallRegistry } from './call-registry';
import { CommandOutcomes } from './command-outcomes';

/** How long a command waits for a (re)starting gateway to adopt the calls Asterisk still has. */
const SYNC_WAIT_MS = 5_000;

/**
 * What every call command handler does first: leave other sites' calls to their gateway,
 * and run each command id once (a retry gets the first outcome).
 */
@Injectable()
export class CallCommandRunner {
  private readonly outcomes = new CommandOutcomes();

  constructor(
    @Inject(MEDIA_GATEWAY_CONFIG) private readonly config: MediaGatewayConfig,
    private readonly registry: CallRegistry,
  ) {}

  run<T>(request: { commandId: string; call?: CallRef | undefined }, execute: (call: CallRef) => Promise<T>): Promise<T> {
    const call = request.call as CallRef; // validated by the contract before we are called
    if (call.site !== this.config.SITE) throw new NotForThisInstance(`call ${call.callId} belongs to site ${call.site}`);
    return this.outcomes.once(request.commandId, async () => {
      await this.registry.whenSynced(SYNC_WAIT_MS);
      return execute(call);
    });
  }
}
