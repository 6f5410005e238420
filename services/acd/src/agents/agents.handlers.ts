import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import {
  type AcceptOffer,
  AcceptOfferResultSchema,
  AcdCommands,
  type EndWrapUp,
  EndWrapUpResultSchema,
  type LoginAgent,
  LoginAgentResultSchema,
  type LogoutAgent,
  LogoutAgentResultSchema,
  type RejectOffer,
  RejectOfferResultSchema,
  type ReleaseContact,
  ReleaseContactResultSchema,
  type SetAgentNotReady,
  SetAgentNotReadyResultSchema,
  type SetAgentReady,
  SetAgentReadyResultSchema,
} from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { RoutingError } from '../routing/routing-error';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingStore } from '../routing/routing-store';
import { CodeCatalogues } from './code-catalogues';

/** What agents do: log in and out, pause, answer or decline offers, finish contacts. */
@Injectable()
export class AgentsHandlers {
  constructor(
    private readonly store: RoutingStore,
    private readonly runner: RoutingCommandRunner,
    private readonly catalogues: CodeCatalogues,
  ) {}

  /** Logs in with the agent's configuration; site and extension may be overridden for the session. */
  @CommandHandler(AcdCommands.loginAgent)
  loginAgent(request: LoginAgent) {
    return this.runner.run(request.tenant, '', async () => {
      const config = await this.store.agentConfig(request.tenant, request.agentId);
      if (config === undefined) throw new RoutingError('unknown-agent', `agent ${request.agentId} is not configured`, 'agentId');
      const phone = request.extension === undefined ? config.phone : { extension: request.extension };
      const result = await this.store.login(request.tenant, { ...config, site: request.site ?? config.site, ...(phone ? { phone } : {}) });
      return create(LoginAgentResultSchema, { duplicate: result.duplicate });
    });
  }

  @CommandHandler(AcdCommands.logoutAgent)
  logoutAgent(request: LogoutAgent) {
    return this.runner.run(request.tenant, '', async () => {
      const result = await this.store.logout(request.tenant, request.agentId);
      return create(LogoutAgentResultSchema, { returnedContactIds: [...result.returned], duplicate: result.duplicate });
    });
  }

  @CommandHandler(AcdCommands.setAgentReady)
  setAgentReady(request: SetAgentReady) {
    return this.runner.run(request.tenant, '', async () => {
      await this.store.setReady(request.tenant, request.agentId);
      return create(SetAgentReadyResultSchema);
    });
  }

  @CommandHandler(AcdCommands.setAgentNotReady)
  setAgentNotReady(request: SetAgentNotReady) {
    return this.runner.run(request.tenant, '', async () => {
      await this.catalogues.checkNotReadyReason(request.tenant, request.reasonCode);
      await this.store.setNotReady(request.tenant, request.agentId, request.reasonCode);
      return create(SetAgentNotReadyResultSchema);
    });
  }

  @CommandHandler(AcdCommands.acceptOffer)
  acceptOffer(request: AcceptOffer) {
    return this.runner.run(request.tenant, '', async () => {
      const result = await this.store.accept(request.tenant, request);
      return create(AcceptOfferResultSchema, { duplicate: result.duplicate });
    });
  }

  @CommandHandler(AcdCommands.rejectOffer)
  rejectOffer(request: RejectOffer) {
    return this.runner.run(request.tenant, '', async () => {
      await this.catalogues.checkNotReadyReason(request.tenant, request.reasonCode);
      const result = await this.store.reject(request.tenant, request, request.reasonCode);
      return create(RejectOfferResultSchema, { returnedToQueue: result.returnedToQueue });
    });
  }

  @CommandHandler(AcdCommands.releaseContact)
  releaseContact(request: ReleaseContact) {
    return this.runner.run(request.tenant, '', async () => {
      await this.catalogues.checkWrapUpCode(request.tenant, request.wrapUpCode);
      const result = await this.store.release(request.tenant, request.contactId, request.agentId, { wrapUpCode: request.wrapUpCode, notes: request.notes });
      return create(ReleaseContactResultSchema, {
        duplicate: result.duplicate,
        ...(result.wrapUpEndsAt === undefined ? {} : { wrapUpEndsAt: timestampFromMs(result.wrapUpEndsAt) }),
      });
    });
  }

  /** After-contact work is done: the agent is ready again. */
  @CommandHandler(AcdCommands.endWrapUp)
  endWrapUp(request: EndWrapUp) {
    return this.runner.run(request.tenant, '', async () => {
      await this.store.setReady(request.tenant, request.agentId);
      return create(EndWrapUpResultSchema);
    });
  }
}
