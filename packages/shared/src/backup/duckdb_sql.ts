import {
  type BackupTableSpec,
  type BigQueryField,
  COMPLETIONS_TABLE,
  columnNames,
  STATUS_TABLE,
} from "./bigquery_schema";

/**
 * The SQL of the DuckDB backup store, generated from the same checked-in schemas as the
 * BigQuery tables so that both have the same tables, columns and keys. Values are bound as
 * named parameters (`$column`); nothing from a message is ever put into SQL text.
 */

const DUCKDB_TYPES: Record<BigQueryField["type"], string> = {
  STRING: "VARCHAR",
  DATE: "DATE",
  BOOL: "BOOLEAN",
  INT64: "BIGINT",
  // Naive TIMESTAMP holding UTC: values are normalised to UTC before binding, and a cast of
  // text with an offset to TIMESTAMP would drop the offset silently.
  TIMESTAMP: "TIMESTAMP",
};

/** Primary keys: what makes a retried write land once. */
const KEYS: Record<BackupTableSpec["role"], string[]> = {
  completions: ["row_id"],
  status: ["phase", "game_date"],
};

function columnType(field: BigQueryField): string {
  const base = DUCKDB_TYPES[field.type];
  return field.mode === "REPEATED" ? `${base}[]` : base;
}

/** `CREATE TABLE IF NOT EXISTS` for one backup table. */
export function createTableSql(spec: BackupTableSpec): string {
  const columns = spec.fields.map((field) => {
    const notNull = field.mode === "NULLABLE" ? "" : " NOT NULL";
    return `  ${field.name} ${columnType(field)}${notNull}`;
  });
  columns.push(`  PRIMARY KEY (${KEYS[spec.role].join(", ")})`);
  return `CREATE TABLE IF NOT EXISTS ${spec.defaultName} (\n${columns.join(",\n")}\n)`;
}

function insertSql(spec: BackupTableSpec): string {
  const values = spec.fields.map((field) => `CAST($${field.name} AS ${columnType(field)})`);
  return [
    `INSERT INTO ${spec.defaultName} (${columnNames(spec).join(", ")})`,
    `VALUES (${values.join(", ")})`,
  ].join("\n");
}

/** Inserts a completion; a second insert with the same `row_id` changes nothing. */
export const INSERT_COMPLETION_SQL = `${insertSql(COMPLETIONS_TABLE)}\nON CONFLICT (row_id) DO NOTHING`;

/** Inserts or replaces the status row of (phase, game date); see `statusMergeSql` on order. */
export const UPSERT_STATUS_SQL = [
  insertSql(STATUS_TABLE),
  "ON CONFLICT (phase, game_date) DO UPDATE SET",
  columnNames(STATUS_TABLE)
    .filter((column) => !KEYS.status.includes(column))
    .map((column) => `  ${column} = excluded.${column}`)
    .join(",\n"),
  `WHERE NOT ${STATUS_TABLE.defaultName}.triggered OR excluded.triggered`,
].join("\n");

// Dates and times are read back as text in the shape the interface uses.
function selectList(spec: BackupTableSpec): string {
  return spec.fields
    .map((field) => {
      if (field.type === "DATE") return `CAST(${field.name} AS VARCHAR) AS ${field.name}`;
      if (field.type === "TIMESTAMP") {
        return `strftime(${field.name}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${field.name}`;
      }
      return field.name;
    })
    .join(", ");
}

/** Completions of one phase and date, oldest first. */
export const SELECT_COMPLETIONS_BY_DATE_SQL = [
  `SELECT ${selectList(COMPLETIONS_TABLE)} FROM ${COMPLETIONS_TABLE.defaultName}`,
  "WHERE game_date = CAST($game_date AS DATE) AND phase = $phase",
  "ORDER BY received_at, row_id",
].join("\n");

/** Completions of one phase received in [from, to), oldest first. */
export const SELECT_COMPLETIONS_RECEIVED_SQL = [
  `SELECT ${selectList(COMPLETIONS_TABLE)} FROM ${COMPLETIONS_TABLE.defaultName}`,
  "WHERE phase = $phase",
  "AND received_at >= CAST($from_time AS TIMESTAMP) AND received_at < CAST($to_time AS TIMESTAMP)",
  "ORDER BY received_at, row_id",
].join("\n");

/** The status row of one phase and date. */
export const SELECT_STATUS_SQL = [
  `SELECT ${selectList(STATUS_TABLE)} FROM ${STATUS_TABLE.defaultName}`,
  "WHERE game_date = CAST($game_date AS DATE) AND phase = $phase",
].join("\n");
