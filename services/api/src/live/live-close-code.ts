/**
 * Why the server ends a live connection. Every one of them means: reconnect (to any replica)
 * with your cursor and you miss nothing; after `TOKEN_EXPIRED`, with a fresh access token.
 */
export const LiveCloseCode = {
  /** The replica is shutting down. */
  GOING_AWAY: 1001,
  /** The replica could not read the event streams. */
  INTERNAL: 1011,
  /** The client took events more slowly than they came: its send buffer overflowed. */
  TOO_SLOW: 1013,
  /** The access token expired: sign in again (or refresh) and reconnect. */
  TOKEN_EXPIRED: 4401,
} as const;
