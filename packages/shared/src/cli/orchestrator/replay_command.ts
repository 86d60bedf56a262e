import { parseDateOrRange } from "../../status_page/date_range";
import {
  type CliCommand,
  COMMON_HELP,
  COMMON_OPTIONS,
  envWithProject,
  parseCommandArgs,
} from "./cli_command";
import { EXIT, progressReporter, UsageError } from "./cli_io";
import { openOrchestrators } from "./open_orchestrators";
import { PHASE_HELP, parsePhase } from "./phase_arg";
import { replayDates } from "./replay_dates";
import { renderTable } from "./text_table";

/** Most dates one replay takes: a season's backfill in a few runs, not an accident of years. */
const MAX_REPLAY_DAYS = 366;

/** `orchestrator replay PHASE FROM..TO`. */
export const replayCommand: CliCommand = {
  name: "replay",
  summary: "re-evaluate dates after a backfill: due but untriggered dates trigger once",
  help: `Usage: orchestrator replay PHASE FROM..TO [--dry-run] [options]

After a backfill, re-evaluates each date with the orchestrator's own trigger rule and
coordinator: a date whose phase is done but never triggered triggers exactly once; a date
already triggered is left alone (use retrigger --force for that). Dates run in order; progress
goes to stderr. At most ${MAX_REPLAY_DAYS} dates.

${PHASE_HELP}

Options:
  --dry-run          only show what would trigger; change nothing
${COMMON_HELP}

Example:
  orchestrator replay phase3 2026-01-01..2026-01-31 --dry-run`,
  async run(args, baseIo) {
    const { values, positionals } = parseCommandArgs(args, {
      ...COMMON_OPTIONS,
      "dry-run": { type: "boolean" },
    });
    if (values.help) {
      baseIo.stdout(`${this.help}\n`);
      return EXIT.ok;
    }
    if (positionals.length !== 2) throw new UsageError("expected PHASE and FROM..TO");
    const name = parsePhase(positionals[0]);
    const range = parseDateOrRange(positionals[1] as string, MAX_REPLAY_DAYS);
    const io = envWithProject(baseIo, values.project);
    const open = openOrchestrators(io, { verbose: values.verbose ?? false });
    try {
      const progress = progressReporter(io, `replaying ${name}`);
      const rows = await replayDates(await open.get(name), range.dates, {
        dryRun: values["dry-run"] ?? false,
        onDone: (done, total) => progress(done, total),
      });
      if (values.json) {
        io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      } else {
        io.stdout(
          renderTable(rows, [
            { header: "date", value: (r) => r.gameDate },
            { header: "action", value: (r) => r.action },
            { header: "reason", value: (r) => r.reason ?? "" },
            { header: "done", value: (r) => `${r.completed}/${r.expected}` },
            { header: "missing", value: (r) => r.error ?? r.missing.join(", ") },
          ]),
        );
        const count = (a: string) => rows.filter((r) => r.action === a).length;
        io.stdout(
          values["dry-run"]
            ? `dry run: ${count("would_trigger")} would trigger, nothing changed\n`
            : `${count("triggered")} triggered, ${count("error")} failed\n`,
        );
      }
      return rows.some((r) => r.action === "error") ? EXIT.failed : EXIT.ok;
    } finally {
      await open.close();
    }
  },
};
