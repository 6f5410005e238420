import { Injectable, Logger } from '@nestjs/common';
import { RoutingEventsRelay } from './routing.events';
import { commandFailureOf } from './routing.errors';

/**
 * What every acd command handler does around its work: typed failures for what the work
 * threw, then the events its scripts wrote relayed to JetStream before the reply, so a
 * caller that got its reply finds the events published. A relay that fails does not fail
 * the command (its change is made); the timers relay those events later.
 */
@Injectable()
export class RoutingCommandRunner {
  private readonly logger = new Logger(RoutingCommandRunner.name);

  constructor(private readonly relay: RoutingEventsRelay) {}

  /** `path` is where the request holds the domain input, to name fields in errors (`contact.`). */
  async run<T>(tenant: string, path: string, work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      throw commandFailureOf(error, path);
    }
    await this.relayLogged(tenant);
    return result;
  }

  /**
   * What an event handler (or an HTTP request) does around its work: the events its
   * scripts wrote relayed before the event is acknowledged (or the request answered).
   * What the work throws goes on to the caller: for a consumer, a retry later, then the
   * dead-letter stream.
   */
  async afterEvent<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    const result = await work();
    await this.relayLogged(tenant);
    return result;
  }

  /**
   * Work a command started that need not hold up its reply (the rest of a new skill
   * profile's enrolment), then the relay of its events. Failures are logged: the timers
   * finish what is left.
   */
  inBackground(tenant: string, work: () => Promise<unknown>): void {
    void work()
      .then(() => this.relayLogged(tenant))
      .catch((error: unknown) => this.logger.warn({ tenant, err: error }, 'background routing work failed; the timers finish it'));
  }

  /** Relays the tenant's events now, mid-way through a long piece of work; failures are logged (the timers retry). */
  relayNow(tenant: string): Promise<unknown> {
    return this.relayLogged(tenant);
  }

  private relayLogged(tenant: string): Promise<unknown> {
    return this.relay.relay(tenant).catch((error: unknown) => this.logger.warn({ tenant, err: error }, 'events not relayed yet; the timers retry'));
  }
}
