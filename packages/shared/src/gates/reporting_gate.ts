import type { Alerter } from "../alerts/alert";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import type { Logger } from "../logging/logger";
import type { StateStore } from "../state/state_store";
import { describeUnmet, type GateReport, type ReadinessGate } from "./readiness_gate";

/** Notice key that makes the blocked-gate alert go out once per date. */
export const GATE_BLOCKED_NOTICE = "gate_blocked";

/** What the reporting wrapper needs. */
export interface ReportingGateDeps {
  config: OrchestratorConfig;
  state: Pick<StateStore, "claimNotice">;
  alerter: Alerter;
  logger: Logger;
  clock: Clock;
}

/**
 * Wraps a gate with its reports: an unmet advisory gate logs a warning each time; a
 * blocked date logs each time and alerts once (the first caller to claim the notice), since
 * every message and every sweep of that date sees the same block.
 *
 * It logs and alerts itself because the same check runs on two entry points (delivery and
 * sweep) that would otherwise each repeat this.
 */
export function reportingGate(inner: ReadinessGate, deps: ReportingGateDeps): ReadinessGate {
  return {
    async check(gameDate: string): Promise<GateReport> {
      const report = await inner.check(gameDate);
      const unmet = report.checks.filter((c) => !c.met);
      if (unmet.length === 0) return report;
      const log = deps.logger.child({ gameDate });
      const detail = describeUnmet(unmet);
      if (!report.blocked) {
        log.warn("gate_advisory_unmet", `advisory readiness gate not met: ${detail}`, {
          gates: unmet.map((c) => c.spec.table),
        });
        return report;
      }
      log.warn("gate_blocked", `trigger held by readiness gate: ${detail}`, {
        gates: unmet.map((c) => c.spec.table),
      });
      const first = await deps.state
        .claimNotice(gameDate, GATE_BLOCKED_NOTICE, deps.clock.now())
        .catch(() => true); // Unsure whether alerted: a repeat is better than silence.
      if (first) {
        await deps.alerter.notify({
          kind: "gate_blocked",
          severity: "warning",
          title: `trigger for ${gameDate} held by a readiness gate`,
          message: `${detail}. It triggers on the next message or sweep once the data is there.`,
          functionName: deps.config.name,
          transition: deps.config.label,
          gameDate,
          errorType: "gate_blocked",
        });
      }
      return report;
    },
  };
}
