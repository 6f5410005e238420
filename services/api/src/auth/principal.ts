import { type Role } from './role';

/**
 * Who is making a request, as its verified access token says: a person (subject = user id)
 * or a tool (subject = client id). `tenant` is undefined only for a platform operator.
 */
export interface Principal {
  readonly subject: string;
  readonly tenant: string | undefined;
  readonly roles: readonly Role[];
  /** The acd agent a person works as, when they take contacts. */
  readonly agentId: string | undefined;
}
