/** A server address from a `host:port` list such as `REDIS_SENTINELS`. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}
