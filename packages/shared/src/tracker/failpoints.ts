/**
 * Switches that fault tests turn on to stop the process at the worst moments. They are
 * plain callbacks, undefined in production, so they cost nothing there.
 */
export interface Failpoints {
  /** Runs after the trigger decision is committed and before the publish. */
  afterClaimBeforePublish?: () => void | Promise<void>;
  /** Runs after a successful publish and before it is marked published. */
  afterPublishBeforeMark?: () => void | Promise<void>;
}
