import { writeFileSync } from "node:fs";
import { TRANSITION_NAMES, type TransitionName } from "../../config/transition_defaults";
import { type CellState, cellStateOf } from "../../status_page/cell_state";
import { parseDateOrRange } from "../../status_page/date_range";
import { readStatusRange } from "../../status_page/read_status_range";
import { renderStatusPage } from "../../status_page/render_status_page";
import type { StatusView } from "../../tracker/status_view";
import {
  type CliCommand,
  COMMON_HELP,
  COMMON_OPTIONS,
  envWithProject,
  parseCommandArgs,
} from "./cli_command";
import { type CliIo, EXIT, progressReporter, UsageError } from "./cli_io";
import { openOrchestrators } from "./open_orchestrators";
import { PHASE_HELP, parsePhase } from "./phase_arg";
import { readView, viewKey } from "./read_views";
import { colourer, renderTable } from "./text_table";

const STATE_COLOUR: Record<CellState, string> = {
  not_started: "grey",
  in_progress: "blue",
  triggered: "green",
  triggered_partial: "yellow",
  late_completions: "magenta",
  failed: "red",
};

/** `orchestrator status DATE|FROM..TO`. */
export const statusCommand: CliCommand = {
  name: "status",
  summary: "state of every phase for a date or a range (Firestore, or the backup)",
  help: `Usage: orchestrator status DATE|FROM..TO [options]

Shows, for each game date, how each of the three phases stands: not started, in progress,
triggered, triggered partially (missing processors), late completions, failed processors.
Reads Firestore directly; --from-backup reads the backup store instead (BigQuery, or DuckDB
when BACKUP_KIND=duckdb). At most 62 dates at once.

Options:
  --phase PHASE      only this phase (repeatable). ${PHASE_HELP}
  --from-backup      read the backup store instead of Firestore
  --html FILE        also write the status page (all phases) to FILE
${COMMON_HELP}

Examples:
  orchestrator status 2026-01-27
  orchestrator status 2026-01-01..2026-01-31 --html status.html
  orchestrator status 2026-01-27 --json | jq '.[] | {phase, reason}'`,
  async run(args, baseIo) {
    const { values, positionals } = parseCommandArgs(args, {
      ...COMMON_OPTIONS,
      phase: { type: "string", multiple: true },
      "from-backup": { type: "boolean" },
      html: { type: "string" },
    });
    if (values.help) {
      baseIo.stdout(`${this.help}\n`);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError("expected one DATE or FROM..TO");
    const range = parseDateOrRange(positionals[0] as string);
    const names = values.phase?.map(parsePhase) ?? [...TRANSITION_NAMES];
    const io = envWithProject(baseIo, values.project);
    const open = openOrchestrators(io, { verbose: values.verbose ?? false });
    try {
      const tasks = range.dates.flatMap((date) => names.map((name) => ({ date, name })));
      const fromBackup = values["from-backup"] ?? false;
      const keys = tasks.map((t) => viewKey(t.date, t.name));
      const byKey = new Map(tasks.map((t, i) => [keys[i] as string, t]));
      const views = await readStatusRange(
        keys,
        async (key) => {
          const task = byKey.get(key) as { date: string; name: TransitionName };
          return readView(await open.get(task.name), task.date, fromBackup);
        },
        { onRead: progressReporter(io, "reading") },
      );
      if (values.html !== undefined) {
        const now = (io.clock?.now() ?? new Date()).toISOString();
        const title = `Pipeline status ${range.from} to ${range.to}`;
        writeFileSync(values.html, renderStatusPage(views, { title, generatedAt: now }));
        io.stderr(`wrote ${values.html}\n`);
      }
      if (values.json) io.stdout(`${JSON.stringify(views, null, 2)}\n`);
      else io.stdout(renderStatusTable(views, names, range.dates, io));
      return EXIT.ok;
    } finally {
      await open.close();
    }
  },
};

/** The grid as text: one line per date, one column per phase, then the details that matter. */
export function renderStatusTable(
  views: readonly StatusView[],
  names: readonly TransitionName[],
  dates: readonly string[],
  io: Pick<CliIo, "stdoutIsTty" | "env">,
): string {
  const paint = colourer(io.stdoutIsTty && io.env.NO_COLOR === undefined);
  const byKey = new Map(views.map((v) => [viewKey(v.gameDate, v.transition), v]));
  const rows = [...dates].reverse();
  const columns = [
    { header: "date", value: (d: string) => d },
    ...names.map((name) => ({
      header: name,
      value: (d: string) => cellText(byKey.get(viewKey(d, name))),
      decorate: (text: string, d: string) => {
        const v = byKey.get(viewKey(d, name));
        return v ? paint(text, STATE_COLOUR[cellStateOf(v)]) : text;
      },
    })),
  ];
  const notes = views
    // A date nobody has started would only list every processor as missing: skip it.
    .filter((v) => cellStateOf(v) !== "not_started" || v.degraded)
    .filter((v) => v.missing.length + v.failed.length + v.unknown.length > 0 || v.degraded)
    .map((v) => `  ${v.gameDate} ${v.transition}: ${noteText(v)}`);
  return renderTable(rows, columns) + (notes.length > 0 ? `\n${notes.join("\n")}\n` : "");
}

function cellText(view: StatusView | undefined): string {
  if (!view) return "-";
  const state = cellStateOf(view).replaceAll("_", " ");
  const count = `${view.completed.length}/${view.expected.length}`;
  return view.reason ? `${state} ${count} ${view.reason}` : `${state} ${count}`;
}

function noteText(view: StatusView): string {
  const parts = [
    view.missing.length > 0 ? `missing ${view.missing.join(", ")}` : "",
    view.failed.length > 0 ? `failed ${view.failed.join(", ")}` : "",
    view.unknown.length > 0 ? `unknown ${view.unknown.map((p) => p.processor).join(", ")}` : "",
    view.completed.some((p) => p.late)
      ? `late ${view.completed
          .filter((p) => p.late)
          .map((p) => p.processor)
          .join(", ")}`
      : "",
    view.degraded ? `read from ${view.source} (backup, may lag)` : "",
  ];
  return parts.filter((p) => p.length > 0).join("; ");
}
