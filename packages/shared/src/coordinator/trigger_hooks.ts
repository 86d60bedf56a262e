import type { ReadinessGate } from "../gates/readiness_gate";
import type { TriggerRecord } from "../state/phase_state";

/**
 * Work that follows a published trigger (the prediction coordinator call). Implementations
 * never throw: the trigger is out, and nothing here may make a caller publish it again.
 */
export interface AfterTrigger {
  afterPublish(trigger: TriggerRecord): Promise<void>;
}

/** Optional steps around the trigger decision; both default to doing nothing. */
export interface TriggerHooks {
  /** Checked after the rule says "due" and before the claim. */
  gate?: ReadinessGate;
  /** Runs after each successful publish of a trigger. */
  afterTrigger?: AfterTrigger;
}
