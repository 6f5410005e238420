// Q.850 release causes the contact centre meets most; the rest print as their number.
export const UNALLOCATED_NUMBER = 1;
export const NORMAL_CLEARING = 16;
export const USER_BUSY = 17;
export const NO_USER_RESPONDING = 18;
export const NO_ANSWER = 19;
export const CALL_REJECTED = 21;
export const NUMBER_CHANGED = 22;
export const INVALID_NUMBER_FORMAT = 28;
export const NO_CIRCUIT_AVAILABLE = 34;
export const SWITCHING_EQUIPMENT_CONGESTION = 42;

const TEXT: Record<number, string> = {
  1: 'Unallocated number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer',
  21: 'Call rejected',
  22: 'Number changed',
  27: 'Destination out of order',
  28: 'Invalid number format',
  31: 'Normal, unspecified',
  34: 'No circuit available',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  58: 'Bearer capability not available',
  127: 'Interworking, unspecified',
};

export function causeText(cause: number): string {
  return TEXT[cause] ?? `Cause ${cause}`;
}
