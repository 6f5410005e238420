/** Where the service reads the time: injected, so time-dependent reports are testable. */
export const CLOCK = Symbol('Clock');
export type Clock = () => number;
