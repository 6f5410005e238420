/** The call a message comes from and whose agents it goes to: what a session and its message share. */
export interface MessageOrigin {
  readonly tenant: string;
  readonly site: string;
  readonly callId: string;
  readonly queue: string;
  readonly mailbox: string;
  /** Empty when the caller withheld it. */
  readonly callerNumber: string;
  /** The contact's priority in its queue, 0..100, kept for the work item. */
  readonly priority: number;
  /** The acd contact the call was, when it came from a queue. */
  readonly contactId: string;
}
