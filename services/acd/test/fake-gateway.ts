// A stand-in for both sites' media gateways: answers the call commands the acd sends over
// real NATS, as told per agent extension or customer number, and records them.
import { create } from '@bufbuild/protobuf';
import {
  type BridgeLegs,
  BridgeLegsResultSchema,
  CallCommands,
  ErrorKind,
  GetVariableResultSchema,
  type HangUpCall,
  HangUpCallResultSchema,
  type HangUpLeg,
  HangUpLegResultSchema,
  type LegDestination,
  type OriginateLeg,
  OriginateLegResultSchema,
  type PlaceCall,
  PlaceCallResultSchema,
} from '@lianluo/contracts';
import { CommandFailure, CommandServer, type MessagingConnection } from '@lianluo/messaging';

/** How a dialled phone answers: at once, never (TIMEOUT), busy, or when the test says. */
export type Answer = 'answer' | 'no-answer' | 'busy' | { until: Promise<void> };

/** The extension of an agent phone, or the PSTN number dialled. */
function dialled(destination: LegDestination | undefined): string {
  const target = destination?.target;
  return target?.case === 'agent' ? target.value.extension : target?.case === 'pstnNumber' ? target.value : '';
}

export class FakeGateway {
  readonly placed: PlaceCall[] = [];
  readonly originated: OriginateLeg[] = [];
  readonly bridged: BridgeLegs[] = [];
  readonly hungUpLegs: HangUpLeg[] = [];
  readonly hungUpCalls: HangUpCall[] = [];
  /** By extension or number; 'answer' when not set. */
  readonly answers = new Map<string, Answer>();
  /** Calls whose bridge fails because the agent's leg has already hung up (GONE). */
  readonly agentHangsUpBeforeBridge = new Set<string>();
  private readonly waiters: { phone: string; resolve: (request: OriginateLeg) => void }[] = [];
  private readonly server: CommandServer;

  constructor(connection: MessagingConnection) {
    this.server = new CommandServer(connection);
    this.server.serve(CallCommands.placeCall, async (request) => {
      this.placed.push(request);
      await this.answer(dialled(request.destination), request.timeoutMs);
      return create(PlaceCallResultSchema);
    });
    this.server.serve(CallCommands.originateLeg, async (request) => {
      this.originated.push(request);
      const phone = dialled(request.destination);
      for (const waiter of this.waiters.filter((w) => w.phone === phone)) waiter.resolve(request);
      await this.answer(phone, request.timeoutMs);
      return create(OriginateLegResultSchema, { legId: `leg-${phone}-${this.originated.length}` });
    });
    this.server.serve(CallCommands.bridgeLegs, (request) => {
      if (this.agentHangsUpBeforeBridge.has(request.call?.callId ?? '')) throw CommandFailure.gone(`leg ${request.legId} is gone`);
      this.bridged.push(request);
      return create(BridgeLegsResultSchema, { bridgeId: `bridge-${request.legId}` });
    });
    this.server.serve(CallCommands.hangUpLeg, (request) => {
      this.hungUpLegs.push(request);
      return create(HangUpLegResultSchema);
    });
    // The caller's call is up unless the test hung it up.
    this.server.serve(CallCommands.getVariable, () => create(GetVariableResultSchema, { value: 'Up' }));
    this.server.serve(CallCommands.hangUp, (request) => {
      this.hungUpCalls.push(request);
      return create(HangUpCallResultSchema);
    });
  }

  /** The next dial of agent extension `extension` (resolves when the acd asks for it). */
  dialOf(extension: string): Promise<OriginateLeg> {
    const seen = this.originated.find((r) => dialled(r.destination) === extension);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ phone: extension, resolve }));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async answer(phone: string, timeoutMs: number): Promise<void> {
    const answer = this.answers.get(phone) ?? 'answer';
    if (answer === 'no-answer') throw new CommandFailure(ErrorKind.TIMEOUT, `${phone} did not answer within ${timeoutMs} ms`);
    if (answer === 'busy') throw new CommandFailure(ErrorKind.FAILED_PRECONDITION, `${phone} refused the call: User busy (17)`);
    if (typeof answer === 'object') await answer.until;
  }
}
