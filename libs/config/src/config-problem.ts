/** One bad or missing environment variable and why it was rejected. */
export interface ConfigProblem {
  /** The environment variable, e.g. `NATS_URL`. */
  readonly variable: string;
  /** Why it was rejected; never contains the value of a secret variable. */
  readonly reason: string;
}
