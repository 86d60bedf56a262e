import type { DriftReport, DriftTarget } from "./drift_report";

const COLOURS = { green: "\x1b[32m", red: "\x1b[31m", yellow: "\x1b[33m", reset: "\x1b[0m" };

const LABELS: Record<DriftTarget["status"], { text: string; colour: keyof typeof COLOURS }> = {
  "up-to-date": { text: "UP-TO-DATE", colour: "green" },
  drift: { text: "DRIFT", colour: "red" },
  "not-found": { text: "NOT-FOUND", colour: "yellow" },
  error: { text: "ERROR", colour: "yellow" },
};

/**
 * The plain-text report. `colour` must only be true for a terminal: escape codes in a
 * piped report are exactly what once stopped a workflow from matching its lines.
 */
export function renderText(report: DriftReport, o: { colour: boolean; verbose: boolean }): string {
  const paint = (text: string, colour: keyof typeof COLOURS) =>
    o.colour ? `${COLOURS[colour]}${text}${COLOURS.reset}` : text;
  const width = Math.max(...report.targets.map((t) => t.name.length), 4);
  const lines = [`${title(report)} (checked ${report.checkedAt})`];
  for (const t of report.targets) {
    const label = LABELS[t.status];
    lines.push(
      `${paint(label.text.padEnd(10), label.colour)} ${t.name.padEnd(width)}  ${t.region}  ${t.reason}`,
    );
    if (!o.verbose) continue;
    lines.push(`    deployed: ${t.deployedCommit ?? "(no label)"} at ${t.deployedAt ?? "unknown"}`);
    lines.push(
      `    newest input change: ${t.latestInputCommit ?? "?"} at ${t.latestInputCommitAt ?? "?"}`,
    );
    for (const c of t.commitsBehind) lines.push(`    behind: ${c.sha.slice(0, 12)} ${c.subject}`);
    if (t.status !== "up-to-date") lines.push(`    redeploy: ${t.redeployCommand}`);
  }
  const c = report.counts;
  lines.push(
    `${c.upToDate} up to date, ${c.drift} drifted, ${c.couldNotCheck} could not be checked`,
  );
  return `${lines.join("\n")}\n`;
}

/** Markdown for the job summary and the tracking issue. */
export function renderMarkdown(report: DriftReport): string {
  const rows = report.targets.map((t) =>
    [
      t.name,
      t.region,
      `**${LABELS[t.status].text}**`,
      code(t.deployedCommit?.slice(0, 12) ?? "no label"),
      code(t.latestInputCommit?.slice(0, 12) ?? "?"),
      t.hoursBehind === null ? "" : `${t.hoursBehind}`,
      escapeCell(t.reason),
    ].join(" | "),
  );
  const fixes = report.targets
    .filter((t) => t.status !== "up-to-date")
    .map((t) => `- \`${t.redeployCommand}\``);
  const c = report.counts;
  return [
    `### ${title(report)}`,
    "",
    `Checked ${report.checkedAt}; without a commit label, stale after ${report.staleAfterHours} h.`,
    `${c.upToDate} up to date, ${c.drift} drifted, ${c.couldNotCheck} could not be checked.`,
    "",
    "| name | region | status | deployed | newest input | hours behind | why |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r} |`),
    ...(fixes.length > 0 ? ["", "To redeploy:", "", ...fixes] : []),
    "",
  ].join("\n");
}

const title = (r: DriftReport) =>
  r.kind === "cloud-functions" ? "Cloud Function drift" : "Cloud Run service drift";
const code = (s: string) => `\`${s}\``;
const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
