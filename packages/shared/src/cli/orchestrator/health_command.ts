import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TRANSITION_NAMES, type TransitionName } from "../../config/transition_defaults";
import { loadManifest } from "../../deploy/manifest";
import { type RunCommand, runCommand } from "../../deploy/run_command";
import type { DependencyHealth } from "../../health/readiness";
import {
  type CliCommand,
  COMMON_HELP,
  COMMON_OPTIONS,
  envWithProject,
  parseCommandArgs,
} from "./cli_command";
import { type CliIo, EXIT, UsageError } from "./cli_io";
import { phaseKey } from "./phase_arg";
import { colourer, renderTable } from "./text_table";

/** How long one `/ready` call may take; the function itself limits each check to 2 s. */
const READY_CALL_TIMEOUT_MS = 15_000;
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");

/** The answer of one function's `/ready`, as the health table shows it. */
export interface HealthRow {
  function: string;
  url: string;
  httpStatus: number | null;
  status: string;
  dependencies: Record<string, DependencyHealth>;
  error?: string;
}

/** `orchestrator health`. */
export const healthCommand: CliCommand = {
  name: "health",
  summary: "call /ready on each deployed function and show its dependencies",
  help: `Usage: orchestrator health [options]

Calls GET /ready on each of the three functions and prints, per function, whether it is
ready and how each dependency (Firestore, the backup store, its Pub/Sub topics) answered.
Exit code 1 when any function is not ready or cannot be reached.

URLs come from --url-phase3/4/5, or from \`gcloud functions describe NAME --region REGION\`
with the names and region of deploy/functions.json. The ID token comes from --token, or from
\`gcloud auth print-identity-token\`; --no-auth sends none (a local function).

Options:
  --url-phase3 URL   URL of phase2-to-phase3 (likewise --url-phase4, --url-phase5)
  --token TOKEN      bearer token to send
  --no-auth          send no token
${COMMON_HELP}`,
  async run(args, baseIo) {
    const { values } = parseCommandArgs(args, {
      ...COMMON_OPTIONS,
      "url-phase3": { type: "string" },
      "url-phase4": { type: "string" },
      "url-phase5": { type: "string" },
      token: { type: "string" },
      "no-auth": { type: "boolean" },
    });
    if (values.help) {
      baseIo.stdout(`${this.help}\n`);
      return EXIT.ok;
    }
    const io = envWithProject(baseIo, values.project);
    const run = io.runCommand ?? runCommand;
    const given = values as Record<string, string | undefined>;
    const token = values["no-auth"]
      ? undefined
      : (values.token ?? (await gcloudValue(run, ["auth", "print-identity-token"])));
    const rows: HealthRow[] = [];
    for (const name of TRANSITION_NAMES) {
      const url = given[`url-${phaseKey(name)}`] ?? (await describeUrl(run, io, name));
      rows.push(await callReady(io, name, url, token));
    }
    if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    else io.stdout(renderHealth(rows, io));
    return rows.every((r) => r.status === "ready") ? EXIT.ok : EXIT.failed;
  },
};

async function describeUrl(run: RunCommand, io: CliIo, name: TransitionName): Promise<string> {
  const spec = loadManifest(REPO_ROOT).functions.find((f) => f.name === name);
  const project = io.env.GOOGLE_CLOUD_PROJECT;
  const argv = ["functions", "describe", name, `--region=${spec?.region ?? "us-west2"}`];
  if (project) argv.push(`--project=${project}`);
  return gcloudValue(run, [...argv, "--format=value(serviceConfig.uri)"]);
}

async function gcloudValue(run: RunCommand, args: string[]): Promise<string> {
  const result = await run(["gcloud", ...args]);
  const value = result.stdout.trim();
  if (result.code !== 0 || value === "") {
    throw new UsageError(`gcloud ${args.slice(0, 2).join(" ")} failed: ${result.stderr.trim()}`);
  }
  return value;
}

async function callReady(
  io: CliIo,
  name: string,
  url: string,
  token: string | undefined,
): Promise<HealthRow> {
  const doFetch = io.fetch ?? fetch;
  const base = { function: name, url };
  try {
    const response = await doFetch(`${url.replace(/\/+$/, "")}/ready`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(READY_CALL_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as {
      status?: string;
      dependencies?: Record<string, DependencyHealth>;
    };
    return {
      ...base,
      httpStatus: response.status,
      status: body.status ?? `http ${response.status}`,
      dependencies: body.dependencies ?? {},
    };
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? "timeout" : "unreachable";
    return { ...base, httpStatus: null, status: reason, dependencies: {}, error: reason };
  }
}

/** The health table: one line per function, its dependencies in one column. */
export function renderHealth(
  rows: readonly HealthRow[],
  io: Pick<CliIo, "stdoutIsTty" | "env">,
): string {
  const paint = colourer(io.stdoutIsTty && io.env.NO_COLOR === undefined);
  return renderTable(rows, [
    { header: "function", value: (r) => r.function },
    {
      header: "status",
      value: (r) => r.status,
      decorate: (t, r) => paint(t, r.status === "ready" ? "green" : "red"),
    },
    { header: "http", value: (r) => String(r.httpStatus ?? "-") },
    {
      header: "dependencies",
      value: (r) =>
        Object.entries(r.dependencies)
          .map(([dep, h]) => (h.ok ? `${dep} ok ${h.latencyMs}ms` : `${dep} DOWN (${h.error})`))
          .join("; "),
    },
  ]);
}
