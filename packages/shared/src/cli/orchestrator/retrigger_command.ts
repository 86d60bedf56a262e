import { isGameDate } from "../../messages/game_date";
import {
  type CliCommand,
  COMMON_HELP,
  COMMON_OPTIONS,
  envWithProject,
  parseCommandArgs,
} from "./cli_command";
import { EXIT, UsageError } from "./cli_io";
import { type RetriggerResult, retrigger } from "./force_retrigger";
import { openOrchestrators } from "./open_orchestrators";
import { PHASE_HELP, parsePhase } from "./phase_arg";
import { renderTable } from "./text_table";

/** `orchestrator retrigger PHASE DATE`. */
export const retriggerCommand: CliCommand = {
  name: "retrigger",
  summary: "start a phase again for a date (--force: new generation, who and why recorded)",
  help: `Usage: orchestrator retrigger PHASE DATE [--force --reason TEXT] [options]

Without --force: refuses a date that has already triggered; otherwise evaluates the trigger
rule once, exactly as an incoming message would (it triggers only if the rule is met).
With --force: records a new generation of the trigger (a new idempotency key, so the next
phase does not drop it as a repeat) with who asked and why, and publishes it.

${PHASE_HELP}

Options:
  --force            trigger again even if already triggered (needs --reason)
  --reason TEXT      why; stored in the trigger record as forcedReason
  --by NAME          who; stored as forcedBy (default: $USER)
${COMMON_HELP}

Example:
  orchestrator retrigger phase4 2026-01-27 --force --reason "phase 3 rerun after fix"`,
  async run(args, baseIo) {
    const { values, positionals } = parseCommandArgs(args, {
      ...COMMON_OPTIONS,
      force: { type: "boolean" },
      reason: { type: "string" },
      by: { type: "string" },
    });
    if (values.help) {
      baseIo.stdout(`${this.help}\n`);
      return EXIT.ok;
    }
    if (positionals.length !== 2) throw new UsageError("expected PHASE and DATE");
    const name = parsePhase(positionals[0]);
    const gameDate = positionals[1] as string;
    if (!isGameDate(gameDate)) throw new UsageError(`DATE must be YYYY-MM-DD, got "${gameDate}"`);
    const force = values.force ?? false;
    const reason = values.reason?.trim() ?? "";
    if (force && reason === "") throw new UsageError("--force needs --reason TEXT");
    const by = (values.by ?? baseIo.env.USER ?? "").trim();
    if (by === "") throw new UsageError("who is asking? pass --by NAME (no $USER is set)");
    const io = envWithProject(baseIo, values.project);
    const open = openOrchestrators(io, { verbose: values.verbose ?? false });
    try {
      const result = await retrigger(await open.get(name), open.publisher, {
        gameDate,
        force,
        by,
        reason,
      });
      if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else io.stdout(describeResult(name, gameDate, result));
      return result.kind === "refused" ? EXIT.refused : EXIT.ok;
    } finally {
      await open.close();
    }
  },
};

function describeResult(name: string, gameDate: string, result: RetriggerResult): string {
  if (result.kind === "refused") {
    const t = result.existing;
    return (
      `${name} ${gameDate} already triggered (generation ${t.generation}, ${t.reason}, ` +
      `at ${t.claimedAt}); nothing done. Use --force --reason "..." to trigger again.\n`
    );
  }
  if (result.kind === "evaluated") {
    const { action, decision } = result.outcome;
    const missing = decision?.missing.length ? `; missing ${decision.missing.join(", ")}` : "";
    return `${name} ${gameDate}: ${action}${decision?.reason ? ` (${decision.reason})` : ""}${missing}\n`;
  }
  const t = result.trigger;
  const rows = [
    ["generation", `${result.previous?.generation ?? "none"} -> ${t.generation}`],
    ["idempotency key", t.idempotencyKey],
    ["published message", t.publishMessageId ?? ""],
    ["forced by", t.forcedBy ?? ""],
    ["reason", t.forcedReason ?? ""],
    ["completed", t.payload.completed_processors.join(", ")],
    ["missing", t.payload.missing_processors.join(", ")],
  ];
  const table = renderTable(rows, [
    { header: "field", value: (r) => r[0] as string },
    { header: "value", value: (r) => r[1] as string },
  ]);
  return `${name} ${gameDate}: forced retrigger published\n${table}`;
}
