import { calendarDateIn } from "../messages/game_date";
import type { PhaseSnapshot, RunMode } from "../state/phase_state";
import type { TriggerRule } from "./rule_config";

const MS_PER_MINUTE = 60_000;
/** Absorbs float error so that 0.6 × 5 asks for 3 completions, not 4. */
const RATIO_EPSILON = 1e-9;

/** What the rule says about one date at one moment. */
export interface RuleDecision {
  due: boolean;
  /** Why it is due (`all_complete`, `critical_plus_majority_60pct`, a tier name…). */
  reason?: string;
  mode: RunMode;
  /** Expected processors that count toward completion, in expected order. */
  completed: string[];
  missing: string[];
  /** Expected processors whose latest report is `failed` and that never counted. */
  failed: string[];
  /** Reported names that are not expected; never counted. */
  unknown: string[];
  /** True when the trigger goes out with processors missing because time ran out. */
  timedOut: boolean;
  /** ISO time of the first completion of the date, if any. */
  firstCompletionAt?: string;
  /** When a time tier or the deadline will next change the answer, if ever. */
  nextCheckAt?: string;
  /** True once the configured deadline passed without a trigger. */
  deadlineMissed: boolean;
}

/** The run mode of `gameDate` at `now`: earlier than today → overnight, and so on. */
export function runModeFor(gameDate: string, timeZone: string, now: Date): RunMode {
  const today = calendarDateIn(timeZone, now);
  if (gameDate < today) return "overnight";
  if (gameDate === today) return "same_day";
  return "tomorrow";
}

/**
 * Decides whether a phase is done for a date. Pure: the same snapshot, rule, expected list
 * and time always give the same answer, so the sweep and every message agree.
 */
export function evaluateRule(
  snapshot: PhaseSnapshot,
  expected: readonly string[],
  rule: TriggerRule,
  now: Date,
): RuleDecision {
  const mode = runModeFor(snapshot.gameDate, rule.timeZone, now);
  const modeRule = rule.modes[mode];
  const byName = new Map(snapshot.processors.map((p) => [p.processor, p]));
  const completed = expected.filter((name) => byName.get(name)?.counted === true);
  const missing = expected.filter((name) => byName.get(name)?.counted !== true);
  const failed = missing.filter((name) => byName.get(name)?.lastStatus === "failed");
  const unknown = snapshot.processors.filter((p) => !p.known).map((p) => p.processor);
  const firstMs = firstCompletionMs(snapshot);
  const elapsedMinutes = firstMs === undefined ? 0 : (now.getTime() - firstMs) / MS_PER_MINUTE;
  const base = {
    mode,
    completed,
    missing,
    failed,
    unknown,
    ...(firstMs !== undefined && { firstCompletionAt: new Date(firstMs).toISOString() }),
  };
  const due = (reason: string, timedOut = false): RuleDecision => ({
    ...base,
    due: true,
    reason,
    timedOut,
    deadlineMissed: false,
  });

  if (expected.length > 0 && missing.length === 0) return due("all_complete");
  // Vacuously true without critical processors, so a plain majority rule works; the
  // "critical suffices" shortcut needs at least one named processor or it would fire at once.
  const criticalDone = modeRule.critical.every((name) => completed.includes(name));
  const hasCritical = modeRule.critical.length > 0;
  if (hasCritical && criticalDone && modeRule.criticalSuffices) return due("critical_complete");
  if (
    criticalDone &&
    expected.length > 0 &&
    modeRule.majorityRatio !== undefined &&
    completed.length >= Math.ceil(modeRule.majorityRatio * expected.length - RATIO_EPSILON)
  ) {
    const percent = Math.round(modeRule.majorityRatio * 100);
    return due(hasCritical ? `critical_plus_majority_${percent}pct` : `majority_${percent}pct`);
  }
  if (firstMs !== undefined) {
    // The latest tier reached names the trigger; configuration order must not matter.
    const reached = [...modeRule.tiers]
      .sort((a, b) => a.afterMinutes - b.afterMinutes)
      .filter(
        (tier) =>
          elapsedMinutes >= tier.afterMinutes && completed.length >= Math.max(tier.minCompleted, 1),
      );
    const tier = reached[reached.length - 1];
    if (tier) return due(tier.name, missing.length > 0);
  }
  const deadlineMissed =
    rule.deadlineMinutes !== undefined &&
    firstMs !== undefined &&
    elapsedMinutes >= rule.deadlineMinutes;
  const upcoming = [
    ...modeRule.tiers.map((t) => t.afterMinutes),
    ...(rule.deadlineMinutes !== undefined ? [rule.deadlineMinutes] : []),
  ].filter((minutes) => minutes > elapsedMinutes);
  const next =
    firstMs !== undefined && upcoming.length > 0
      ? new Date(firstMs + Math.min(...upcoming) * MS_PER_MINUTE).toISOString()
      : undefined;
  return {
    ...base,
    due: false,
    timedOut: false,
    deadlineMissed,
    ...(next !== undefined && { nextCheckAt: next }),
  };
}

/** Time tiers count from the first completion that counted, as the pipeline sees it. */
function firstCompletionMs(snapshot: PhaseSnapshot): number | undefined {
  const times = snapshot.processors
    .filter((p) => p.known && p.counted && p.completedAt !== undefined)
    .map((p) => new Date(p.completedAt as string).getTime());
  return times.length > 0 ? Math.min(...times) : undefined;
}
