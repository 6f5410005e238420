import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { type WebhookUrlRules, webhookUrlProblem } from './webhook-url';

/** Checks a subscription's URL as an admin gives it, under this api's configuration. */
@Injectable()
export class WebhookUrls {
  private readonly rules: WebhookUrlRules;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.rules = {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      policy: new WebhookAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
      resolve: async (host) => (await lookup(host, { all: true })).map((entry) => entry.address),
    };
  }

  /** Answers 400 naming `body.url` and the rule it breaks. */
  async check(url: string): Promise<void> {
    const problem = await webhookUrlProblem(url, this.rules);
    if (problem) throw new BadRequestException({ error: 'invalid_request', message: `body.url ${problem}`, problems: [{ field: 'body.url', reason: problem }] });
  }
}
