import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { machineSummary } from "./machine";

/** Where every benchmark writes its section. */
export const RESULTS_FILE = join(import.meta.dirname, "..", "RESULTS.md");

/** A target from the issue and whether this run met it. */
export interface TargetCheck {
  name: string;
  met: boolean;
  detail: string;
}

/** What one benchmark hands back: a console table, markdown, targets and correctness. */
export interface BenchSection {
  /** Stable key of the section in RESULTS.md. */
  key: string;
  title: string;
  /** Markdown body: tables and notes. */
  markdown: string;
  targets: TargetCheck[];
  /** Correctness failures (wrong trigger count, lost completions); non-empty → exit 1. */
  failures: string[];
}

/** A markdown table from a header row and data rows. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Prints a section to the terminal. */
export function printSection(section: BenchSection): void {
  process.stdout.write(`\n## ${section.title}\n\n${section.markdown}\n`);
  for (const t of section.targets) {
    process.stdout.write(`target ${t.met ? "MET   " : "MISSED"} ${t.name}: ${t.detail}\n`);
  }
  for (const f of section.failures) process.stdout.write(`CORRECTNESS FAILURE: ${f}\n`);
}

const begin = (key: string) => `<!-- bench:${key}:begin -->`;
const end = (key: string) => `<!-- bench:${key}:end -->`;

/**
 * Writes `sections` into RESULTS.md, replacing only their own blocks, so that running one
 * benchmark alone keeps the others' last figures; each block says when and how it was made.
 */
export function writeResults(sections: BenchSection[], command: string, startedAt: Date): void {
  let text = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, "utf8") : "";
  if (!text.startsWith("# Benchmark results")) {
    text = `# Benchmark results\n\nWritten by the bench scripts; see the README, section Benchmarks.\n${text}`;
  }
  text = replaceBlock(text, "machine", machineSummary());
  for (const section of sections) {
    const targets = section.targets
      .map((t) => `- ${t.met ? "met" : "**missed**"}: ${t.name} (${t.detail})`)
      .join("\n");
    const failures = section.failures.map((f) => `- **correctness failure**: ${f}`).join("\n");
    const body = [
      `## ${section.title}`,
      `Run ${startedAt.toISOString()} with \`${command}\`.`,
      section.markdown,
      targets.length > 0 ? `Targets:\n\n${targets}` : "",
      failures.length > 0 ? failures : "Correctness checks passed.",
    ]
      .filter((s) => s.length > 0)
      .join("\n\n");
    text = replaceBlock(text, section.key, body);
  }
  writeFileSync(RESULTS_FILE, text);
}

/**
 * Drops every generated block from RESULTS.md, keeping the hand-written text (the analysis
 * of causes), so that a full run lists its sections in run order.
 */
export function resetResults(): void {
  if (!existsSync(RESULTS_FILE)) return;
  const text = readFileSync(RESULTS_FILE, "utf8").replace(
    /<!-- bench:(\w+):begin -->[\s\S]*?<!-- bench:\1:end -->\n*/g,
    "",
  );
  writeFileSync(RESULTS_FILE, `${text.trimEnd()}\n`);
}

function replaceBlock(text: string, key: string, body: string): string {
  const start = text.indexOf(begin(key));
  const stop = text.indexOf(end(key));
  const block = `${begin(key)}\n${body}\n${end(key)}`;
  if (start === -1 || stop === -1) return `${text.trimEnd()}\n\n${block}\n`;
  return `${text.slice(0, start)}${block}${text.slice(stop + end(key).length)}`;
}
