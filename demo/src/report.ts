import type { ProcessorStatusView } from "@orchestrator/shared";
import type { PhaseStatus } from "./phase_status";
import type { PhaseRun } from "./pipeline";
import { type Cell, renderTable, type Style } from "./terminal";

const HEADERS = ["processor", "status", "completed (UTC)", "late", "deliveries", "reported as"];

/** The per-phase tables: one row per expected or unknown processor, then the decision. */
export function renderPhaseTables(statuses: PhaseStatus[], style: Style): string[] {
  const lines: string[] = [];
  for (const { run, status, error } of statuses) {
    const { label, name, sourcePhase } = run.defaults;
    lines.push("", style.bold(`${label}  (${name}, completions of ${sourcePhase})`));
    if (!status) {
      lines.push(`  ${style.red(`status unavailable: ${error ?? "no answer"}`)}`);
      continue;
    }
    const byName = new Map(status.completed.map((p) => [p.processor, p]));
    const rows: Cell[][] = status.expected.map((processor) => {
      const seen = byName.get(processor);
      if (seen) return processorRow(seen, style);
      const failed = status.failed.includes(processor);
      return [processor, { text: failed ? "failed" : "missing", style: style.red }, "", "", "", ""];
    });
    for (const unknown of status.unknown) {
      const row = processorRow(unknown, style);
      row[1] = { text: `${unknown.status} (unknown name)`, style: style.yellow };
      rows.push(row);
    }
    lines.push(...renderTable(HEADERS, rows));
    const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
    lines.push(
      `  missing: ${list(status.missing)} | failed: ${list(status.failed)} | ` +
        `unknown: ${list(status.unknown.map((p) => p.processor))}`,
      `  triggered: ${
        status.triggered
          ? `yes at ${timeOf(status.triggeredAt)} UTC${status.published ? "" : " (NOT published)"}`
          : "no"
      } | reason: ${status.reason ?? "-"} | mode: ${status.mode ?? "-"} | answered by: ${status.source}`,
    );
  }
  return lines;
}

function processorRow(p: ProcessorStatusView, style: Style): Cell[] {
  const reported = p.reportedNames.filter((n) => n !== p.processor);
  return [
    p.processor,
    { text: p.status, style: p.status === "success" ? style.green : style.yellow },
    timeOf(p.completedAt),
    p.late ? { text: "late", style: style.yellow } : "no",
    String(p.deliveries),
    reported.join(", "),
  ];
}

/** `HH:MM:SS.mmm` of an ISO time, or `-`. */
function timeOf(iso: string | null): string {
  if (!iso) return "-";
  const match = /T(\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)/.exec(iso);
  return match?.[1] ?? iso;
}

/**
 * What must hold for the run to pass: each phase triggered exactly once on its topic, and
 * its function's `/status` agreeing. One line per phase that broke a rule.
 */
export function findProblems(runs: PhaseRun[], statuses: PhaseStatus[]): string[] {
  const problems: string[] = [];
  for (const run of runs) {
    const { triggerTopic, name, targetPhase } = run.defaults;
    const { status, error } = statuses.find((s) => s.run === run) ?? {};
    const says = status
      ? `/status says ${status.triggered ? (status.published ? "triggered" : "triggered, NOT published") : "not triggered"}`
      : `/status unavailable: ${error ?? "not asked"}`;
    const count = run.triggers.length;
    if (count !== 1) {
      problems.push(
        `${targetPhase} triggered ${count} times on ${triggerTopic}, expected exactly once (${name} ${says})`,
      );
    } else if (!status?.triggered || !status.published) {
      problems.push(`${name}: ${says}, but one trigger was seen on ${triggerTopic}`);
    }
  }
  return problems;
}
