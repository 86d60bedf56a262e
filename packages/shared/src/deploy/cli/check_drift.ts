/**
 * Drift check CLI behind `bin/check-cloud-function-drift.sh` (kind `cloud-functions`) and
 * `bin/check-deployment-drift.sh` (kind `cloud-run-services`). Exit 0 up to date, 1 drift,
 * 2 could not check (gcloud failed, target missing, bad arguments).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkDrift } from "../drift_check";
import { renderText } from "../drift_render";
import { DRIFT_EXIT, summarise } from "../drift_report";
import { cloudRunSources, defaultCloudRunList, functionSources } from "../drift_sources";
import { loadManifest } from "../manifest";
import { runCommand } from "../run_command";

const DEFAULT_STALE_AFTER_HOURS = 24;

const USAGE = `usage: check-drift --kind cloud-functions|cloud-run-services [--json] [--verbose]
       [--repo DIR] [--project ID] [--stale-hours N] [--list FILE]
  --repo DIR       git work tree to compare with (default: this repository)
  --stale-hours N  without a commit label, drift is a deploy older than the newest input
                   change by more than N hours (default ${DEFAULT_STALE_AFTER_HOURS}, or DRIFT_STALE_HOURS)
  --list FILE      Cloud Run services to check (default deploy/cloud-run-services.json)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      repo: { type: "string" },
      project: { type: "string" },
      "stale-hours": { type: "string" },
      list: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const repoDir = resolve(values.repo ?? process.env.DRIFT_REPO_DIR ?? process.cwd());
  const staleText = values["stale-hours"] ?? process.env.DRIFT_STALE_HOURS;
  const staleAfterHours = staleText === undefined ? DEFAULT_STALE_AFTER_HOURS : Number(staleText);
  if (!Number.isFinite(staleAfterHours) || staleAfterHours < 0) {
    throw new Error(`--stale-hours must be a number of hours, got "${staleText}"`);
  }
  const project = values.project ?? process.env.CLOUDSDK_CORE_PROJECT;
  const kind = values.kind;
  if (kind !== "cloud-functions" && kind !== "cloud-run-services") {
    throw new Error(`--kind must be cloud-functions or cloud-run-services\n${USAGE}`);
  }
  const sources =
    kind === "cloud-functions"
      ? functionSources(loadManifest(repoDir), project)
      : cloudRunSources(values.list ?? defaultCloudRunList(repoDir), project);

  const rows = await checkDrift(sources, { repoDir, staleAfterHours, run: runCommand });
  const report = summarise(kind, new Date(), staleAfterHours, rows);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    // Colour only for a person at a terminal; NO_COLOR is the common opt-out.
    const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(renderText(report, { colour, verbose: values.verbose }));
  }
  return report.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`drift check failed: ${(error as Error).message}\n`);
    process.exitCode = DRIFT_EXIT.couldNotCheck;
  },
);
