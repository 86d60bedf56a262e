import { queryDuckDbFile } from "./duckdb_file";

/** An example a user can paste: every completion the functions recorded, in order. */
export const EXAMPLE_QUERY =
  "SELECT phase, processor, reported_name, status, known, received_at " +
  "FROM phase_completions ORDER BY received_at";

/**
 * Counts what the backup holds, once the functions have stopped and released the file.
 * Opening it writable once also checkpoints it, so read-only queries see everything.
 */
export async function summariseBackup(path: string): Promise<string> {
  const completions = await queryDuckDbFile(
    path,
    "SELECT phase, count(*) AS n FROM phase_completions GROUP BY phase ORDER BY phase",
    { readOnly: false },
  );
  const statuses = await queryDuckDbFile(path, "SELECT count(*) AS n FROM phase_completion_status");
  const perPhase = completions.rows.map((r) => `${r.phase} ${r.n}`).join(", ") || "none";
  const statusRows = statuses.rows[0]?.n ?? 0;
  return `completion rows: ${perPhase}; status rows: ${statusRows}`;
}
