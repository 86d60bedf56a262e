import { ConfigurationError } from "../errors";
import {
  type BackupTableSpec,
  type BigQueryField,
  COMPLETIONS_TABLE,
  columnNames,
  STATUS_TABLE,
} from "./bigquery_schema";

/**
 * The SQL of the BigQuery backup store. Values always travel as named query parameters
 * (`@column`); the only text put into SQL is a dataset or table id that passed
 * `validateIdentifier`, and column names from the checked-in schema.
 */

/** Where the two backup tables live. */
export interface BackupTableNames {
  dataset: string;
  completionsTable: string;
  statusTable: string;
}

// Stricter than BigQuery itself (which allows Unicode table names and dashes in some ids):
// letters, digits and underscores only, so a configured id can never end a quoted name.
const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;

/** Returns the id unchanged, or throws `ConfigurationError` if it is not a plain identifier. */
export function validateIdentifier(kind: string, value: string): string {
  if (!IDENTIFIER_PATTERN.test(value)) {
    throw new ConfigurationError(
      `BigQuery ${kind} id ${JSON.stringify(value.slice(0, 80))} must match ${IDENTIFIER_PATTERN}`,
    );
  }
  return value;
}

/** Checks all three ids at start-up. */
export function validateTableNames(names: BackupTableNames): BackupTableNames {
  return {
    dataset: validateIdentifier("dataset", names.dataset),
    completionsTable: validateIdentifier("table", names.completionsTable),
    statusTable: validateIdentifier("table", names.statusTable),
  };
}

/** Inserts a completion unless a row with its `row_id` exists in its game-date partition. */
export function completionMergeSql(names: BackupTableNames): string {
  const columns = columnNames(COMPLETIONS_TABLE);
  return [
    `MERGE \`${names.dataset}.${names.completionsTable}\` AS target`,
    "USING (SELECT @row_id AS row_id) AS source",
    // The game_date term is the partition filter: the MERGE reads one partition only.
    "ON target.game_date = @game_date AND target.row_id = source.row_id",
    `WHEN NOT MATCHED THEN INSERT (${columns.join(", ")})`,
    `VALUES (${columns.map((c) => `@${c}`).join(", ")})`,
  ].join("\n");
}

/**
 * Inserts or replaces the status row of (phase, game date). A row that has not seen the
 * trigger never overwrites one that has: evaluations on several instances finish in any
 * order, and a late write from an older snapshot must not un-trigger a date.
 */
export function statusMergeSql(names: BackupTableNames): string {
  const columns = columnNames(STATUS_TABLE);
  const updated = columns.filter((c) => c !== "phase" && c !== "game_date");
  return [
    `MERGE \`${names.dataset}.${names.statusTable}\` AS target`,
    "USING (SELECT @phase AS phase) AS source",
    "ON target.game_date = @game_date AND target.phase = source.phase",
    "WHEN MATCHED AND (NOT target.triggered OR @triggered) THEN UPDATE SET",
    `  ${updated.map((c) => `${c} = @${c}`).join(", ")}`,
    `WHEN NOT MATCHED THEN INSERT (${columns.join(", ")})`,
    `VALUES (${columns.map((c) => `@${c}`).join(", ")})`,
  ].join("\n");
}

/** Completions of one phase and date, oldest first. */
export function selectCompletionsByDateSql(names: BackupTableNames): string {
  return [
    `SELECT ${selectList(COMPLETIONS_TABLE)}`,
    `FROM \`${names.dataset}.${names.completionsTable}\``,
    "WHERE game_date = @game_date AND phase = @phase",
    "ORDER BY received_at, row_id",
  ].join("\n");
}

/**
 * Completions of one phase received in [from, to). It cannot filter on the partition column
 * (a backfill replays old dates), so it scans every partition, pruned only by clustering.
 */
export function selectCompletionsReceivedSql(names: BackupTableNames): string {
  return [
    `SELECT ${selectList(COMPLETIONS_TABLE)}`,
    `FROM \`${names.dataset}.${names.completionsTable}\``,
    "WHERE phase = @phase AND received_at >= @from_time AND received_at < @to_time",
    "ORDER BY received_at, row_id",
  ].join("\n");
}

/** The status row of one phase and date. */
export function selectStatusSql(names: BackupTableNames): string {
  return [
    `SELECT ${selectList(STATUS_TABLE)}`,
    `FROM \`${names.dataset}.${names.statusTable}\``,
    "WHERE game_date = @game_date AND phase = @phase",
    "LIMIT 1",
  ].join("\n");
}

// Dates and times come back as text in the same shape the interface uses, so both stores
// map rows with the same code and no client-specific wrapper types leak out.
function selectList(spec: BackupTableSpec): string {
  return spec.fields.map(selectExpression).join(", ");
}

function selectExpression(field: BigQueryField): string {
  if (field.type === "DATE") return `CAST(${field.name} AS STRING) AS ${field.name}`;
  if (field.type === "TIMESTAMP") {
    return `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3SZ', ${field.name}, 'UTC') AS ${field.name}`;
  }
  return field.name;
}
