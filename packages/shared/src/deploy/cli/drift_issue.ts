/**
 * Drift workflow helper: reads the `--json` report with the same parser the tests use,
 * appends the Markdown to the job summary, writes the issue body, and sets the outputs
 * `action` (report | resolve | none) and `exit_code` for the issue step.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderMarkdown } from "../drift_render";
import { decideIssueAction, parseDriftReport } from "../drift_report";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { summary: { type: "string" }, body: { type: "string" } },
});

try {
  const [reportPath] = positionals;
  if (!reportPath) throw new Error("usage: drift_issue REPORT.json [--summary FILE] [--body FILE]");
  const report = parseDriftReport(readFileSync(reportPath, "utf8"));
  const markdown = renderMarkdown(report);
  const action = decideIssueAction(report);
  if (values.summary) appendFileSync(values.summary, markdown);
  if (values.body) writeFileSync(values.body, markdown);
  const outputs = `action=${action}\nexit_code=${report.exitCode}\n`;
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, outputs);
  process.stdout.write(outputs);
} catch (error) {
  // An unreadable report is a broken check, never "no drift": fail the job loudly.
  process.stderr.write(`drift report unreadable: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
