import { Injectable } from '@nestjs/common';
import { ConfigurationRepository } from '../configuration/configuration.repository';
import { RoutingError } from '../routing/routing-error';

/**
 * Reasons the acd and api give on their own (a phone that rang out or could not be dialled,
 * an offer declined without a reason): they pass whatever the tenant's catalogue says, or
 * no agent could be paused by them once a tenant lists its reasons.
 */
export const SYSTEM_NOT_READY_REASONS: ReadonlySet<string> = new Set(['ring-no-answer', 'unreachable', 'rejected']);

/**
 * What an agent may say: once a tenant lists its not-ready reasons or wrap-up codes, only
 * those; with an empty catalogue, any code (the shape is checked by the contract).
 */
@Injectable()
export class CodeCatalogues {
  constructor(private readonly configuration: ConfigurationRepository) {}

  async checkNotReadyReason(tenant: string, reasonCode: string): Promise<void> {
    if (SYSTEM_NOT_READY_REASONS.has(reasonCode)) return;
    if (!(await this.configuration.allowsCode('notReadyReasons', tenant, reasonCode))) {
      throw new RoutingError('unknown-code', `not-ready reason ${reasonCode} is not one of the tenant's`, 'reasonCode');
    }
  }

  /** An empty code (none given) always passes. */
  async checkWrapUpCode(tenant: string, wrapUpCode: string): Promise<void> {
    if (wrapUpCode === '') return;
    if (!(await this.configuration.allowsCode('wrapUpCodes', tenant, wrapUpCode))) {
      throw new RoutingError('unknown-code', `wrap-up code ${wrapUpCode} is not one of the tenant's`, 'wrapUpCode');
    }
  }
}
