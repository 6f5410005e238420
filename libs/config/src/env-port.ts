import { envInteger } from './env-integer';

/** A TCP port, 1 to 65535. */
export function envPort() {
  return envInteger({ min: 1, max: 65535 });
}
