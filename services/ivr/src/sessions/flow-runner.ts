import { isOpen } from '../flows/business-hours';
import { type CallData, fillTemplate, holds } from '../flows/conditions';
import { type Flow, type Step } from '../flows/flow.schema';
import { type CallPort, CallerLeft, type FlowCheckpoint, type FlowOutcome } from './call-port';

/** A flow that loops (menu → menu → …) is cut off here and the call hung up. */
const MAX_STEPS = 500;

export interface Caller {
  readonly number: string;
  readonly name: string;
  readonly dialled: string;
}

/** Steps that play to or wait on the caller: a replica that dies during one leaves the caller there. */
const CHECKPOINTED: ReadonlySet<Step['type']> = new Set(['prompt', 'menu', 'collect', 'language']);

export interface FlowResult {
  readonly outcome: FlowOutcome;
  /** The step the flow ended on. */
  readonly step: string;
  readonly data: CallData;
}

/**
 * Runs one call through a flow (IVR-1..IVR-4). Pure over its port and clock: everything it
 * does to the call goes through `CallPort`, so the logic is tested without Asterisk.
 */
export class FlowRunner {
  private readonly data: CallData;
  private readonly first: string;

  /**
   * `resumeAt`: the checkpoint of a session another replica left, to go on from; ignored
   * when the flow (reloaded meanwhile) has no such step, and the flow starts over.
   */
  constructor(
    private readonly flow: Flow,
    private readonly port: CallPort,
    private readonly caller: Caller,
    private readonly now: () => Date,
    resumeAt?: FlowCheckpoint,
  ) {
    const resumable = resumeAt !== undefined && Object.hasOwn(flow.steps, resumeAt.step);
    this.first = resumable ? resumeAt.step : flow.start;
    this.data = resumable
      ? structuredClone(resumeAt.data)
      : { customer: {}, caller: { number: caller.number, name: caller.name, dialled: caller.dialled }, vars: {}, lookup: {} };
  }

  async run(): Promise<FlowResult> {
    let name = this.first;
    try {
      for (let taken = 0; taken < MAX_STEPS; taken++) {
        const step = this.flow.steps[name] as Step;
        if (CHECKPOINTED.has(step.type)) await this.port.checkpoint({ step: name, data: this.data });
        const next = await this.execute(name, step);
        if (typeof next !== 'string') return await this.end(name, next.end);
        name = next;
      }
      await this.port.hangUp();
      return await this.end(name, 'failed');
    } catch (error) {
      if (error instanceof CallerLeft) return { outcome: 'caller_left', step: name, data: this.data };
      throw error;
    }
  }

  private async end(step: string, outcome: FlowOutcome): Promise<FlowResult> {
    await this.port.record({ kind: 'flow_ended', step, outcome }).catch(() => undefined);
    return { outcome, step, data: this.data };
  }

  /** Runs a step; returns the next step's name, or how the flow ended. */
  private async execute(name: string, step: Step): Promise<string | { end: FlowOutcome }> {
    switch (step.type) {
      case 'prompt':
        await this.port.play(step.play, false);
        return step.next;
      case 'menu':
        return this.menu(name, step);
      case 'collect':
        return this.collect(name, step);
      case 'set':
        for (const [variable, value] of Object.entries(step.variables)) this.data.vars[variable] = value;
        return step.next;
      case 'condition':
        return step.when.find((rule) => holds(rule.if, this.data))?.goto ?? step.otherwise;
      case 'business_hours':
        return isOpen(this.flow.calendars[step.calendar]!, this.now()) ? step.open : step.closed;
      case 'language': {
        await this.port.play(step.play, true);
        const { digits } = await this.port.collect({ maxDigits: 1, terminator: '', firstDigitTimeoutMs: step.timeout_ms, interDigitTimeoutMs: step.timeout_ms });
        this.data.vars.language = step.options[digits] ?? step.default;
        return step.next;
      }
      case 'http_lookup':
        try {
          this.data.lookup = await this.port.lookup(fillTemplate(step.url, this.data), step.timeout_ms);
          return step.next;
        } catch {
          return step.on_failure;
        }
      case 'identify_caller': {
        if (!this.caller.number || /^(anonymous|unknown|restricted)$/i.test(this.caller.number)) return step.withheld ?? step.next;
        const identity = await this.port.identify(this.caller.number);
        if (identity.customer) Object.assign(this.data, { customer: identity.customer });
        if (identity.lastAgent) Object.assign(this.data, { caller: { ...this.data.caller, last_agent: identity.lastAgent } });
        return identity.blacklisted ? step.blacklisted : step.next;
      }
      case 'queue':
        await this.port.enqueue({
          queue: step.queue,
          skills: step.skills,
          priority: step.priority,
          businessValue: step.business_value,
          customerId: stringOrUndefined(this.data.customer.id),
          // Who last took this number's call, else the customer record's agent of record.
          lastAgent: stringOrUndefined(this.data.caller.last_agent) ?? stringOrUndefined(this.data.customer.last_agent),
          data: this.gathered(),
          language: stringOrUndefined(this.data.vars.language),
          announceEveryMs: step.announce_every_ms,
          offerEveryMs: step.offer_every_ms,
          voicemailKey: step.voicemail_key,
          callbackKey: step.callback_key,
        });
        return { end: 'queued' };
      case 'voicemail':
        await this.port.voicemail({
          queue: step.queue,
          mailbox: step.mailbox,
          greeting: step.greeting,
          maxMessageMs: step.max_message_ms,
          language: stringOrUndefined(this.data.vars.language),
        });
        return { end: 'voicemail' };
      case 'callback':
        await this.port.requestCallback({ queue: step.queue, number: this.caller.number, data: this.gathered() });
        if (step.play) await this.port.play(step.play, false);
        await this.port.hangUp();
        return { end: 'callback' };
      case 'transfer':
        try {
          await this.port.transfer(step.number, step.timeout_ms);
          return { end: 'transferred' };
        } catch (error) {
          if (error instanceof CallerLeft) throw error;
          return step.on_failure;
        }
      case 'hang_up':
        if (step.play) await this.port.play(step.play, false);
        await this.port.hangUp();
        return { end: 'hung_up' };
    }
  }

  private async menu(name: string, step: Extract<Step, { type: 'menu' }>): Promise<string> {
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      await this.port.play(step.play, true);
      const { digits } = await this.port.collect({ maxDigits: 1, terminator: '', firstDigitTimeoutMs: step.timeout_ms, interDigitTimeoutMs: step.timeout_ms });
      const target = step.options[digits];
      if (target) {
        await this.port.record({ kind: 'menu_chosen', step: name, key: digits });
        return target;
      }
      const complaint = digits ? step.invalid : step.no_input;
      if (complaint && attempt < step.retries) await this.port.play(complaint, true);
    }
    return step.on_failure;
  }

  private async collect(name: string, step: Extract<Step, { type: 'collect' }>): Promise<string> {
    const pattern = step.pattern ? new RegExp(step.pattern) : undefined;
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      await this.port.play(step.play, true);
      const { digits } = await this.port.collect({
        maxDigits: step.max_length,
        terminator: step.terminator,
        firstDigitTimeoutMs: step.first_digit_timeout_ms,
        interDigitTimeoutMs: step.inter_digit_timeout_ms,
      });
      const valid = digits.length >= step.min_length && digits.length <= step.max_length && (!pattern || pattern.test(digits));
      if (valid && (await this.confirmed(step, digits))) {
        this.data.vars[step.variable] = digits;
        await this.port.record({ kind: 'input_collected', step: name, variable: step.variable, value: digits });
        return step.next;
      }
      if (!valid && step.invalid && attempt < step.retries) await this.port.play(step.invalid, true);
    }
    return step.on_failure;
  }

  /** Reads the input back and asks for 1 (right) or 2 (enter again); no confirm step means yes. */
  private async confirmed(step: Extract<Step, { type: 'collect' }>, digits: string): Promise<boolean> {
    if (!step.confirm) return true;
    await this.port.play([...step.confirm, `digits:${digits}`], true);
    const { digits: answer } = await this.port.collect({ maxDigits: 1, terminator: '', firstDigitTimeoutMs: step.first_digit_timeout_ms, interDigitTimeoutMs: 1_000 });
    return answer === '1';
  }

  /** The variables gathered so far, as text for the contact's data. */
  private gathered(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.data.vars).map(([key, value]) => [key, String(value)]));
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
