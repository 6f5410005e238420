/** The caller hung up: whatever drives the call stops quietly. */
export class CallerLeft extends Error {
  constructor() {
    super('the caller hung up');
    this.name = 'CallerLeft';
  }
}

/** The call could not be driven: a command failed, or an awaited event never came. */
export class CallFailed extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`${step}: ${reason}`);
    this.name = 'CallFailed';
  }
}
