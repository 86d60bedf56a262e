import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BackupStore, CompletionRow } from "../backup/backup_store";
import { loadConfig, type OrchestratorConfig } from "../config/load_config";
import { TRANSITION_NAMES, type TransitionName } from "../config/transition_defaults";
import { describeError } from "../errors";
import type { CompletionInput } from "../state/firestore_state_store";
import type { StateStore } from "../state/state_store";
import type { TriggerCoordinator } from "../tracker/trigger_coordinator";

/** What reconciling one game date did (or would do, in a dry run). */
export interface DateReport {
  gameDate: string;
  /** Deliveries the backup had and Firestore did not: written (or to write). */
  restored: number;
  /** Deliveries Firestore already had. */
  present: number;
  /** Outcome of re-evaluating the date; absent in a dry run. */
  action?: string;
  triggerReason?: string;
  error?: string;
}

/** The parts reconciliation needs: one orchestrator's config, stores and coordinator. */
export interface ReconcileDeps {
  config: OrchestratorConfig;
  state: StateStore;
  backup: BackupStore;
  coordinator: TriggerCoordinator;
}

/**
 * Copies into Firestore the deliveries the backup received in [fromIso, toIso) and
 * Firestore lacks, with the same message ids (so a second run changes nothing), then
 * re-evaluates each affected date, which may trigger the next phase, once.
 */
export async function reconcile(
  deps: ReconcileDeps,
  window: { fromIso: string; toIso: string; dryRun: boolean; runId: string },
): Promise<DateReport[]> {
  const { config, state, backup } = deps;
  const rows = (
    await backup.listCompletionsReceivedBetween(config.sourcePhase, window.fromIso, window.toIso)
  ).filter((row) => row.transition === config.name);
  const byDate = new Map<string, CompletionRow[]>();
  for (const row of rows) byDate.set(row.gameDate, [...(byDate.get(row.gameDate) ?? []), row]);
  const reports: DateReport[] = [];
  for (const [gameDate, dateRows] of [...byDate].sort(([a], [b]) => a.localeCompare(b))) {
    const report: DateReport = { gameDate, restored: 0, present: 0 };
    reports.push(report);
    try {
      if (window.dryRun) {
        const snapshot = await state.readSnapshot(gameDate);
        const known = new Set(snapshot.processors.flatMap((p) => p.messageIds));
        for (const row of dateRows) report[known.has(row.messageId) ? "present" : "restored"]++;
        continue;
      }
      for (const row of dateRows) {
        const { duplicate } = await state.recordCompletion(inputFromRow(row));
        report[duplicate ? "present" : "restored"]++;
      }
      const outcome = await deps.coordinator.evaluate(gameDate, `reconcile-${window.runId}`);
      report.action = outcome.action;
      if (outcome.trigger) report.triggerReason = outcome.trigger.reason;
    } catch (error) {
      report.error = describeError(error);
    }
  }
  return reports;
}

/** The delivery a backup row records, as the tracker would have written it. */
export function inputFromRow(row: CompletionRow): CompletionInput {
  const input: CompletionInput = {
    gameDate: row.gameDate,
    processor: row.processor,
    known: row.known,
    reportedName: row.reportedName,
    status: row.status,
    messageId: row.messageId,
    receivedAt: new Date(row.receivedAt),
    recordCount: row.recordCount,
  };
  if (row.correlationId !== null) input.correlationId = row.correlationId;
  if (row.executionId !== null) input.executionId = row.executionId;
  const metadata = parseMetadata(row.metadataJson);
  if (typeof metadata.is_incremental === "boolean") input.isIncremental = metadata.is_incremental;
  if (Array.isArray(metadata.entities_changed)) {
    input.entitiesChanged = metadata.entities_changed.map(String);
  }
  return input;
}

function parseMetadata(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const HELP = `Usage: bin/reconcile --from ISO [--to ISO] [--transition NAME]... [--dry-run]

After a Firestore outage, copies the completions that only the backup received in
[from, to) into Firestore (same delivery ids: running it twice changes nothing) and
re-evaluates each affected game date, which may trigger the next phase once.

  --from ISO          start of the receive-time window, e.g. 2026-01-27T00:00:00Z (required)
  --to ISO            end of the window (default: now)
  --transition NAME   ${TRANSITION_NAMES.join(" | ")}; repeatable (default: all)
  --dry-run           only report what is missing; write and trigger nothing
  --help              this text

Configuration comes from the same environment variables as the functions
(GOOGLE_CLOUD_PROJECT, BACKUP_KIND, BIGQUERY_*, DUCKDB_PATH, FIRESTORE_EMULATOR_HOST, ...).
Exit status: 0 when every date was reconciled, 1 when any failed, 2 on bad arguments.`;

/** Runs the CLI with `argv`; returns the exit status. Prints plain text, one line per date. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  let values: {
    from?: string;
    to?: string;
    transition?: string[];
    "dry-run"?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        transition: { type: "string", multiple: true },
        "dry-run": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    print(`error: ${describeError(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    print(HELP);
    return 0;
  }
  const fromIso = values.from;
  const toIso = values.to ?? new Date().toISOString();
  const names = (values.transition ?? [...TRANSITION_NAMES]) as TransitionName[];
  const badName = names.find((n) => !(TRANSITION_NAMES as readonly string[]).includes(n));
  if (!fromIso || Number.isNaN(Date.parse(fromIso)) || Number.isNaN(Date.parse(toIso)) || badName) {
    print(
      `error: ${badName ? `unknown transition ${badName}` : "--from and --to must be ISO times"}\n\n${HELP}`,
    );
    return 2;
  }
  const { createOrchestrator } = await import("../http/create_orchestrator");
  const dryRun = values["dry-run"] === true;
  const runId = new Date().toISOString();
  let failed = false;
  for (const name of names) {
    const orchestrator = await createOrchestrator(loadConfig(name, env), { env });
    if (!orchestrator.backup) {
      print(`${name}: no backup store configured (BACKUP_KIND=none); nothing to reconcile`);
      continue;
    }
    const deps = { ...orchestrator, backup: orchestrator.backup };
    const reports = await reconcile(deps, { fromIso, toIso, dryRun, runId });
    for (const r of reports) {
      const verb = dryRun ? "missing" : "restored";
      const outcome = r.error ? `FAILED: ${r.error}` : (r.action ?? "not evaluated (dry run)");
      const reason = r.triggerReason ? ` (${r.triggerReason})` : "";
      print(
        `${name} ${r.gameDate}: ${verb} ${r.restored}, already present ${r.present}, ${outcome}${reason}`,
      );
      failed ||= r.error !== undefined;
    }
    const total = reports.reduce((n, r) => n + r.restored, 0);
    print(
      `${name}: ${reports.length} date(s), ${total} deliver${total === 1 ? "y" : "ies"} ${dryRun ? "missing" : "restored"}`,
    );
    await orchestrator.backup.close();
  }
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(`reconcile failed: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}
