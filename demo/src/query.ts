/**
 * `pnpm --filter @orchestrator/local-demo run query "<sql>"`: runs one SQL statement on
 * the demo's DuckDB backup and prints the rows as a table. No DuckDB CLI is needed.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXAMPLE_QUERY } from "./backup_summary";
import { queryDuckDbFile } from "./duckdb_file";
import { INVOKED_FROM, REPO_ROOT, scriptArgs } from "./options";
import { renderTable } from "./terminal";

const USAGE = `Usage: pnpm --filter @orchestrator/local-demo run query [--db FILE] "<SQL>"

Runs one read-only SQL statement on the local demo's backup (default: .demo/backup.duckdb
at the repository root). Tables: phase_completions (one row per delivered completion) and
phase_completion_status (one row per phase and game date).

Example:
  pnpm --filter @orchestrator/local-demo run query "${EXAMPLE_QUERY}"
`;

/** Renders one JSON value for a table cell. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cell).join(",");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: scriptArgs(argv),
    options: { db: { type: "string" }, help: { type: "boolean" } },
    allowPositionals: true,
  });
  const sql = positionals.join(" ").trim();
  if (values.help || sql.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const path = values.db
    ? resolve(INVOKED_FROM, values.db)
    : resolve(REPO_ROOT, ".demo", "backup.duckdb");
  try {
    const { columns, rows } = await queryDuckDbFile(path, sql);
    const lines = renderTable(
      columns,
      rows.map((row) => columns.map((c) => cell(row[c]))),
      "",
    );
    process.stdout.write(`${lines.join("\n")}\n(${rows.length} rows from ${path})\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`query failed on ${path}: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
