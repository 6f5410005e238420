/** The caller hung up: the flow stops, and the call's hang-up event settles the session. */
export class CallerLeft extends Error {
  constructor() {
    super('the caller hung up');
    this.name = 'CallerLeft';
  }
}

/** The call could not be driven: a command failed, or an awaited event never came. */
export class VoicemailCallFailed extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`${step}: ${reason}`);
    this.name = 'VoicemailCallFailed';
  }
}
