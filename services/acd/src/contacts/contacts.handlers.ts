import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  type CancelContact,
  CancelContactResultSchema,
  CancelReason,
  type EnqueueContact,
  EnqueueContactResultSchema,
  type GetContactPosition,
  GetContactPositionResultSchema,
  type ReassignContact,
  ReassignContactResultSchema,
  type TransferContact,
  TransferContactResultSchema,
} from '@lianluo/contracts';
import { CommandFailure, CommandHandler } from '@lianluo/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { ROUTING_CLOCK, type RoutingClock } from '../routing/routing-clock';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { RoutingStore } from '../routing/routing-store';
import { CONTACT_STATE_VALUES } from '../routing/proto-enums';
import { contactRequestOf } from './contact-request-of';

/** Contacts coming, going and asking where they are (the IVR, web chat, work items). */
@Injectable()
export class ContactsHandlers {
  constructor(
    private readonly store: RoutingStore,
    private readonly runner: RoutingCommandRunner,
    @Inject(ROUTING_CLOCK) private readonly clock: RoutingClock,
  ) {}

  @CommandHandler(AcdCommands.enqueueContact)
  enqueueContact(request: EnqueueContact) {
    const contact = request.contact!; // required by the contract
    return this.runner.run(request.tenant, 'contact.', async () => {
      if (contact.call && contact.call.tenant !== request.tenant) {
        throw CommandFailure.invalid('contact.call.tenant', `must be the command's tenant "${request.tenant}" (got "${contact.call.tenant}")`);
      }
      const result = await this.store.enqueue(request.tenant, contactRequestOf(contact, this.clock.now()));
      if (result.enrolling) this.runner.inBackground(request.tenant, () => this.store.finishEnrolments(request.tenant));
      return create(EnqueueContactResultSchema, {
        state: CONTACT_STATE_VALUES[result.state],
        position: result.position,
        expectedWaitMs: result.expectedWaitMs,
        duplicate: result.duplicate,
      });
    });
  }

  @CommandHandler(AcdCommands.cancelContact)
  cancelContact(request: CancelContact) {
    return this.runner.run(request.tenant, '', async () => {
      const reason = request.reason === CancelReason.WITHDRAWN ? 'withdrawn' : 'abandoned';
      const result = await this.store.cancel(request.tenant, request.contactId, reason);
      return create(CancelContactResultSchema, { previousState: CONTACT_STATE_VALUES[result.previousState], duplicate: result.duplicate });
    });
  }

  /** An agent (or the IVR) hands a contact on to a queue, or to one agent for a while. */
  @CommandHandler(AcdCommands.transferContact)
  transferContact(request: TransferContact) {
    return this.runner.run(request.tenant, '', async () => {
      const target = request.target.case === 'queue' ? { queue: request.target.value } : { toAgent: request.target.value };
      const result = await this.store.transfer(request.tenant, {
        contactId: request.contactId,
        ...target,
        ...(request.agentWindowMs > 0 ? { windowMs: request.agentWindowMs } : {}),
        byAgent: request.byAgentId,
      });
      return create(TransferContactResultSchema, { state: CONTACT_STATE_VALUES[result.state], position: result.position });
    });
  }

  /** A supervisor has a waiting or ringing contact ring at an agent now, or moves it to a queue. */
  @CommandHandler(AcdCommands.reassignContact)
  reassignContact(request: ReassignContact) {
    return this.runner.run(request.tenant, '', async () => {
      if (request.target.case === 'queue') {
        const result = await this.store.transfer(request.tenant, { contactId: request.contactId, queue: request.target.value, bySupervisor: request.supervisorId });
        return create(ReassignContactResultSchema, { state: CONTACT_STATE_VALUES[result.state] });
      }
      await this.store.reassign(request.tenant, request.contactId, request.target.value ?? '', request.supervisorId);
      return create(ReassignContactResultSchema, { state: CONTACT_STATE_VALUES.offered });
    });
  }

  @CommandHandler(AcdCommands.getContactPosition)
  getContactPosition(request: GetContactPosition) {
    return this.runner.run(request.tenant, '', async () => {
      const position = await this.store.position(request.tenant, request.contactId);
      return create(GetContactPositionResultSchema, {
        state: CONTACT_STATE_VALUES[position.state],
        position: position.position,
        waiting: position.waiting,
        expectedWaitMs: position.expectedWaitMs,
      });
    });
  }
}
