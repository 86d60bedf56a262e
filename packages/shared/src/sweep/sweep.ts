import { randomUUID } from "node:crypto";
import type { Alerter } from "../alerts/alert";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { describeError } from "../errors";
import { calendarDateIn } from "../messages/game_date";
import type { StateStore } from "../state/state_store";
import type { TriggerCoordinator, TriggerOutcome } from "../tracker/trigger_coordinator";

const MS_PER_DAY = 86_400_000;
/** Notice key that makes the missed-deadline alert go out once per date. */
export const DEADLINE_MISSED_NOTICE = "deadline_missed";

/** An alert the sweep sent. */
export interface SweepAlert {
  gameDate: string;
  kind: "deadline_missed" | "phase_timeout";
}

/** What one sweep did; dates appear in at most one of the action lists. */
export interface SweepReport {
  /** The holder name this run used for claims and leases, `sweep:<uuid>`. */
  holder: string;
  /** Game dates looked at (New York calendar). */
  window: { from: string; to: string };
  /** Dates evaluated: no trigger yet, or claimed and never published. */
  datesChecked: string[];
  /** Dates this sweep claimed and published. */
  triggered: string[];
  /** Claimed-but-unpublished triggers this sweep published. */
  republished: string[];
  alerted: SweepAlert[];
  /** Dates whose rule is not met yet. */
  waiting: string[];
  /** Dates whose rule is met but a blocking readiness gate is not. */
  gateBlocked: string[];
  /** Dates another live caller is publishing (or has just published). */
  handledElsewhere: string[];
  /** Dates that failed; the next sweep tries again. */
  errors: { gameDate: string; error: string }[];
}

/** What the sweep needs from the orchestrator. */
export interface SweepDeps {
  config: OrchestratorConfig;
  state: StateStore;
  coordinator: TriggerCoordinator;
  alerter: Alerter;
  clock: Clock;
  newId?: () => string;
}

/**
 * Finds dates that no message will move any more and moves them: every date in the window
 * with deliveries but no published trigger is evaluated with the rule at the current time
 * (tiers fire, gates are asked again), and every claimed-but-unpublished trigger whose lease
 * expired is published. Safe to run concurrently: the claim and the lease decide.
 */
export async function runSweep(deps: SweepDeps): Promise<SweepReport> {
  const { config, state, clock } = deps;
  const holder = `sweep:${(deps.newId ?? randomUUID)()}`;
  const window = sweepWindow(config, clock.now());
  const [dates, unpublished] = await Promise.all([
    state.listDatesWithDeliveries(window.from, window.to),
    state.listUnpublishedTriggers(),
  ]);
  const triggers = await state.readTriggers(dates);
  const open = dates.filter((d) => triggers.get(d)?.published !== true);
  const candidates = [...new Set([...open, ...unpublished.map((t) => t.payload.game_date)])].sort();
  const report: SweepReport = {
    holder,
    window,
    datesChecked: candidates,
    triggered: [],
    republished: [],
    alerted: [],
    waiting: [],
    gateBlocked: [],
    handledElsewhere: [],
    errors: [],
  };
  // One date at a time: a sweep sees a handful of dates, and this keeps its load flat.
  for (const gameDate of candidates) {
    try {
      const outcome = await deps.coordinator.evaluate(gameDate, holder);
      await record(deps, report, gameDate, outcome);
    } catch (error) {
      report.errors.push({ gameDate, error: describeError(error) });
    }
  }
  return report;
}

/** The game dates a sweep at `now` looks at, by the rule's calendar. */
export function sweepWindow(config: OrchestratorConfig, now: Date): { from: string; to: string } {
  const today = new Date(`${calendarDateIn(config.rule.timeZone, now)}T00:00:00Z`).getTime();
  const day = (offset: number) => new Date(today + offset * MS_PER_DAY).toISOString().slice(0, 10);
  return { from: day(-config.sweepLookbackDays), to: day(config.sweepLookaheadDays) };
}

async function record(
  deps: SweepDeps,
  report: SweepReport,
  gameDate: string,
  outcome: TriggerOutcome,
): Promise<void> {
  const { config } = deps;
  switch (outcome.action) {
    case "triggered":
      report.triggered.push(gameDate);
      if (outcome.decision?.timedOut) {
        report.alerted.push({ gameDate, kind: "phase_timeout" });
        await deps.alerter.notify({
          kind: "phase_timeout",
          severity: "timeout",
          title: `${config.targetPhase} triggered on timeout for ${gameDate} (sweep)`,
          message: `reason ${outcome.decision.reason}; missing: ${outcome.decision.missing.join(", ")}`,
          functionName: config.name,
          transition: config.label,
          gameDate,
          errorType: "phase_timeout",
        });
      }
      return;
    case "published_pending":
      report.republished.push(gameDate);
      return;
    case "gate_blocked":
      report.gateBlocked.push(gameDate);
      return;
    case "waiting":
      report.waiting.push(gameDate);
      if (outcome.decision?.deadlineMissed) await alertDeadline(deps, report, gameDate, outcome);
      return;
    default:
      report.handledElsewhere.push(gameDate);
  }
}

async function alertDeadline(
  deps: SweepDeps,
  report: SweepReport,
  gameDate: string,
  outcome: TriggerOutcome,
): Promise<void> {
  const { config } = deps;
  const first = await deps.state.claimNotice(gameDate, DEADLINE_MISSED_NOTICE, deps.clock.now());
  if (!first) return;
  report.alerted.push({ gameDate, kind: "deadline_missed" });
  const decision = outcome.decision;
  await deps.alerter.notify({
    kind: "deadline_missed",
    severity: "warning",
    title: `${gameDate} not complete ${config.rule.deadlineMinutes} min after its first completion`,
    message: `missing: ${decision?.missing.join(", ") || "none"}; failed: ${decision?.failed.join(", ") || "none"}`,
    functionName: config.name,
    transition: config.label,
    gameDate,
    errorType: "deadline_missed",
  });
}
