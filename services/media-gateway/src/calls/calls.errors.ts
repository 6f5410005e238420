import { ErrorKind } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { AriUnavailable } from '../ari/ari-connection';

/** Turns what ARI threw into the typed error a command caller can branch on. */
export function commandFailureFromAri(error: unknown, what: string): CommandFailure {
  if (error instanceof CommandFailure) return error;
  if (error instanceof AriUnavailable) return new CommandFailure(ErrorKind.UNAVAILABLE, error.message);
  const text = String((error as Error)?.message ?? error);
  if (/not found|does not exist|not in a stasis application|not in stasis/i.test(text)) {
    return CommandFailure.gone(`${what}: the channel is gone (${text})`);
  }
  if (/ECONNREFUSED|ECONNRESET|socket hang up|ETIMEDOUT/i.test(text)) {
    return new CommandFailure(ErrorKind.UNAVAILABLE, `${what}: Asterisk did not answer (${text})`);
  }
  if (/not up|state|conflict|already exists|409|412/i.test(text)) {
    return new CommandFailure(ErrorKind.FAILED_PRECONDITION, `${what}: ${text}`);
  }
  return new CommandFailure(ErrorKind.INTERNAL, `${what}: ${text}`);
}

export class CallGone extends CommandFailure {
  constructor(callId: string) {
    super(ErrorKind.GONE, `call ${callId} is not live on this site (hung up or never existed)`);
  }
}
