import { z } from "zod";

/** Exit codes of the drift checks, also recorded in the JSON report. */
export const DRIFT_EXIT = { upToDate: 0, drift: 1, couldNotCheck: 2 } as const;

const commitSchema = z.object({ sha: z.string(), subject: z.string() });

/** One deployed function or service, compared with the source that should be running. */
export const driftTargetSchema = z.object({
  name: z.string(),
  region: z.string(),
  status: z.enum(["up-to-date", "drift", "not-found", "error"]),
  /** How the deployed code was dated: its commit label, or its deploy time without one. */
  basis: z.enum(["label", "deploy-time"]).nullable(),
  deployedCommit: z.string().nullable(),
  deployedAt: z.string().nullable(),
  latestInputCommit: z.string().nullable(),
  latestInputCommitAt: z.string().nullable(),
  /** Hours between the deployed code and the newest change to its inputs. */
  hoursBehind: z.number().nullable(),
  commitsBehind: z.array(commitSchema),
  reason: z.string(),
  redeployCommand: z.string(),
});

/** The whole `--json` report; the workflow and the tests read it with `parseDriftReport`. */
export const driftReportSchema = z.object({
  kind: z.enum(["cloud-functions", "cloud-run-services"]),
  checkedAt: z.string(),
  staleAfterHours: z.number(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  counts: z.object({ upToDate: z.number(), drift: z.number(), couldNotCheck: z.number() }),
  targets: z.array(driftTargetSchema),
});

/** One row of the report. */
export type DriftTarget = z.infer<typeof driftTargetSchema>;
/** A drift report. */
export type DriftReport = z.infer<typeof driftReportSchema>;

/** Parses the text printed by `--json`; throws with the reason when it is not a report. */
export function parseDriftReport(text: string): DriftReport {
  return driftReportSchema.parse(JSON.parse(text));
}

/** Builds a report from its rows, deriving the counts and the exit code. */
export function summarise(
  kind: DriftReport["kind"],
  checkedAt: Date,
  staleAfterHours: number,
  targets: DriftTarget[],
): DriftReport {
  const counts = {
    upToDate: targets.filter((t) => t.status === "up-to-date").length,
    drift: targets.filter((t) => t.status === "drift").length,
    couldNotCheck: targets.filter((t) => t.status === "not-found" || t.status === "error").length,
  };
  // Not being able to check outranks drift: a green run must mean every target was seen.
  const exitCode =
    counts.couldNotCheck > 0
      ? DRIFT_EXIT.couldNotCheck
      : counts.drift > 0
        ? DRIFT_EXIT.drift
        : DRIFT_EXIT.upToDate;
  return { kind, checkedAt: checkedAt.toISOString(), staleAfterHours, exitCode, counts, targets };
}

/** What the drift workflow should do with its tracking issue after a report. */
export type IssueAction = "report" | "resolve" | "none";

/**
 * Drift or a missing function (a name that does not match what is deployed) is reported;
 * a clean run resolves; a run where gcloud itself failed changes nothing, since it proves
 * neither.
 */
export function decideIssueAction(report: DriftReport): IssueAction {
  const missing = report.targets.some((t) => t.status === "not-found");
  if (report.counts.drift > 0 || missing) return "report";
  if (report.exitCode === DRIFT_EXIT.upToDate) return "resolve";
  return "none";
}
