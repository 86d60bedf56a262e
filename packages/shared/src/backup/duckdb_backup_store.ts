import { LIST, listValue, VARCHAR } from "@duckdb/node-api";
import { PermanentDependencyError, TransientDependencyError } from "../errors";
import {
  completionFromRecord,
  completionToRecord,
  statusFromRecord,
  statusToRecord,
  toUtcIso,
} from "./backup_rows";
import type { BackupStore, CompletionRow, StatusRow } from "./backup_store";
import { COMPLETIONS_TABLE, STATUS_TABLE } from "./bigquery_schema";
import { SharedDuckDb } from "./duckdb_database";
import {
  createTableSql,
  INSERT_COMPLETION_SQL,
  SELECT_COMPLETIONS_BY_DATE_SQL,
  SELECT_COMPLETIONS_RECEIVED_SQL,
  SELECT_STATUS_SQL,
  UPSERT_STATUS_SQL,
} from "./duckdb_sql";

const DEPENDENCY = "duckdb";
const LIST_COLUMNS = STATUS_TABLE.fields.filter((f) => f.mode === "REPEATED").map((f) => f.name);

/**
 * The local backup: the BigQuery tables, same names and semantics, in an embedded DuckDB
 * file that anyone can open with the `duckdb` CLI. Open it with `openDuckDbBackupStore`.
 */
export class DuckDbBackupStore implements BackupStore {
  readonly kind = "duckdb";
  private closed = false;

  /** Use `openDuckDbBackupStore`, which creates the tables. */
  constructor(private readonly database: SharedDuckDb) {}

  async recordCompletion(row: CompletionRow): Promise<void> {
    await this.run(INSERT_COMPLETION_SQL, completionToRecord(row, DEPENDENCY));
  }

  async upsertStatus(row: StatusRow): Promise<void> {
    const record: Record<string, unknown> = statusToRecord(row, DEPENDENCY);
    for (const column of LIST_COLUMNS) record[column] = listValue(record[column] as string[]);
    const types = Object.fromEntries(LIST_COLUMNS.map((column) => [column, LIST(VARCHAR)]));
    await this.run(UPSERT_STATUS_SQL, record, types);
  }

  async listCompletions(phase: string, gameDate: string): Promise<CompletionRow[]> {
    const rows = await this.run(SELECT_COMPLETIONS_BY_DATE_SQL, { phase, game_date: gameDate });
    return rows.map((record) => completionFromRecord(record, DEPENDENCY));
  }

  async readStatus(phase: string, gameDate: string): Promise<StatusRow | null> {
    const rows = await this.run(SELECT_STATUS_SQL, { phase, game_date: gameDate });
    const first = rows[0];
    return first === undefined ? null : statusFromRecord(first);
  }

  async listCompletionsReceivedBetween(
    phase: string,
    fromIso: string,
    toIso: string,
  ): Promise<CompletionRow[]> {
    const rows = await this.run(SELECT_COMPLETIONS_RECEIVED_SQL, {
      phase,
      from_time: toUtcIso(fromIso, DEPENDENCY),
      to_time: toUtcIso(toIso, DEPENDENCY),
    });
    return rows.map((record) => completionFromRecord(record, DEPENDENCY));
  }

  async ping(): Promise<void> {
    await this.run("SELECT 1 AS ok", {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.database.release();
  }

  private async run(
    sql: string,
    values: Record<string, unknown>,
    types?: Parameters<SharedDuckDb["run"]>[2],
  ): Promise<Record<string, unknown>[]> {
    if (this.closed) {
      throw new PermanentDependencyError(DEPENDENCY, "DuckDB backup store is closed", {
        code: "duckdb_closed",
      });
    }
    try {
      return await this.database.run(sql, values as Parameters<SharedDuckDb["run"]>[1], types);
    } catch (error) {
      throw classifyDuckDbError(error);
    }
  }
}

/**
 * Opens (or joins) the DuckDB backup at `path` and creates the tables if missing.
 * Stores on the same path in one process share one database; `:memory:` gives a private one.
 */
export async function openDuckDbBackupStore(path: string): Promise<DuckDbBackupStore> {
  let database: SharedDuckDb;
  try {
    database = await SharedDuckDb.acquire(path);
  } catch (error) {
    throw classifyDuckDbError(error);
  }
  const store = new DuckDbBackupStore(database);
  try {
    await database.run(createTableSql(COMPLETIONS_TABLE));
    await database.run(createTableSql(STATUS_TABLE));
  } catch (error) {
    await store.close();
    throw classifyDuckDbError(error);
  }
  return store;
}

// A lock held by another process or a write-write conflict may pass; anything else
// (binder, parser, conversion, constraint errors) will fail the same way again.
function classifyDuckDbError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const options = (code: string) => ({ cause: error, code });
  if (/could not set lock|conflict/i.test(message)) {
    return new TransientDependencyError(DEPENDENCY, message, options("duckdb_busy"));
  }
  return new PermanentDependencyError(DEPENDENCY, message, options("duckdb_rejected"));
}
