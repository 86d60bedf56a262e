import { DuckDBInstance } from "@duckdb/node-api";

/** Rows of one query, with the column names in order. */
export interface QueryResult {
  columns: string[];
  /** Each value as JSON (DuckDB's lists become arrays, timestamps strings). */
  rows: Record<string, unknown>[];
}

/**
 * Runs `sql` on the DuckDB file at `path` and closes it again. Read-only by default, so a
 * mistaken statement cannot change the backup; closing a writable session also folds the
 * write-ahead log into the file. A file another process holds open fails with DuckDB's
 * lock error.
 */
export async function queryDuckDbFile(
  path: string,
  sql: string,
  options: { readOnly?: boolean } = {},
): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(path, {
    access_mode: options.readOnly === false ? "READ_WRITE" : "READ_ONLY",
  });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return {
        columns: reader.columnNames(),
        rows: reader.getRowObjectsJson() as Record<string, unknown>[],
      };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
