/** The outcome of one readiness check. */
export interface ReadinessResult {
  readonly name: string;
  readonly ready: boolean;
  /** Why a check is not ready, when it said more than `false`. */
  readonly reason?: string;
}
