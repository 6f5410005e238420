// Q.850 release causes the contact centre meets most; the rest print as their number.
export const NORMAL_CLEARING = 16;

const TEXT: Record<number, string> = {
  1: 'Unallocated number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer',
  21: 'Call rejected',
  27: 'Destination out of order',
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
