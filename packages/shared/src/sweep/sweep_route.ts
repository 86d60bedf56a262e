import { checkAdmin, type IdTokenVerifier } from "../http/admin_auth";
import type { HttpRequest, Reply } from "../http/http_types";
import type { Orchestrator } from "../http/orchestrator_app";
import { runSweep, type SweepReport } from "./sweep";

/**
 * `POST /sweep`, called by Cloud Scheduler every 30 minutes with a Google ID token (or an
 * operator with the local admin token). Answers the sweep report; 500 when a date failed,
 * so the scheduler shows the failed run (the next run tries those dates again).
 */
export async function sweepRoute(
  orchestrator: Orchestrator,
  request: HttpRequest,
  verify?: IdTokenVerifier,
): Promise<Reply> {
  const { config, logger } = orchestrator;
  const refused = await checkAdmin(
    request,
    {
      ...(config.adminToken !== undefined && { adminToken: config.adminToken }),
      ...(config.adminAudience !== undefined && { audience: config.adminAudience }),
      allowedEmails: config.adminAllowedEmails,
    },
    ...(verify !== undefined ? [verify] : []),
  );
  if (refused) {
    logger.warn("sweep_refused", "sweep request refused", { status: refused.status });
    return refused;
  }
  let report: SweepReport;
  try {
    report = await runSweep(orchestrator);
  } catch (error) {
    logger.error("sweep_failed", "sweep could not list dates", { error });
    return { status: 503, body: { error: "sweep could not read the store; try again" } };
  }
  logSweep(orchestrator, report);
  return { status: report.errors.length > 0 ? 500 : 200, body: report };
}

function logSweep({ logger }: Orchestrator, report: SweepReport): void {
  const log = logger.child({ sweep: report.holder });
  for (const gameDate of report.triggered) {
    log.info("sweep_triggered", `sweep triggered ${gameDate}`, { gameDate });
  }
  for (const gameDate of report.republished) {
    log.warn("sweep_republished", `sweep published a stranded trigger for ${gameDate}`, {
      gameDate,
    });
  }
  for (const { gameDate, kind } of report.alerted) {
    log.warn(kind, `sweep alerted ${kind} for ${gameDate}`, { gameDate });
  }
  for (const { gameDate, error } of report.errors) {
    log.error("sweep_date_failed", `sweep failed on ${gameDate}: ${error}`, { gameDate });
  }
  log.info("sweep_finished", "sweep finished", {
    window: report.window,
    checked: report.datesChecked.length,
    triggered: report.triggered.length,
    republished: report.republished.length,
    alerted: report.alerted.length,
    gateBlocked: report.gateBlocked.length,
    errors: report.errors.length,
  });
}
