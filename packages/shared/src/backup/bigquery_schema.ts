import statusFields from "../../../../schemas/bigquery/phase_completion_status.json" with {
  type: "json",
};
import completionFields from "../../../../schemas/bigquery/phase_completions.json" with {
  type: "json",
};

/** One column in the BigQuery API / `bq` schema format. */
export interface BigQueryField {
  name: string;
  type: "STRING" | "DATE" | "BOOL" | "INT64" | "TIMESTAMP";
  mode: "REQUIRED" | "NULLABLE" | "REPEATED";
  description: string;
}

/** What the table-creation script needs to create one table. */
export interface BackupTableSpec {
  /** Which table this is; the actual name comes from configuration. */
  role: "completions" | "status";
  /** Default table name (DOMAIN.md). */
  defaultName: string;
  fields: BigQueryField[];
  /** Day partitions on this DATE column: every write and read filters on it. */
  partitionField: string;
  clusteringFields: string[];
}

/** Default dataset of the backup tables. */
export const DEFAULT_BACKUP_DATASET = "nba_orchestration";

// The JSON files under schemas/bigquery are the one source of truth; `bq mk --schema` reads
// them too. The cast only narrows the string literal types the JSON import widens.
/** Columns of `phase_completions`, one row per delivered completion. */
export const COMPLETION_FIELDS = completionFields as BigQueryField[];
/** Columns of `phase_completion_status`, one row per phase and game date. */
export const STATUS_FIELDS = statusFields as BigQueryField[];

/** Table `phase_completions`: partitioned by game date, clustered by phase and processor. */
export const COMPLETIONS_TABLE: BackupTableSpec = {
  role: "completions",
  defaultName: "phase_completions",
  fields: COMPLETION_FIELDS,
  partitionField: "game_date",
  clusteringFields: ["phase", "processor"],
};

/** Table `phase_completion_status`: partitioned by game date, clustered by phase. */
export const STATUS_TABLE: BackupTableSpec = {
  role: "status",
  defaultName: "phase_completion_status",
  fields: STATUS_FIELDS,
  partitionField: "game_date",
  clusteringFields: ["phase"],
};

/** Column names of a table in schema order, for SQL that lists every column. */
export function columnNames(spec: BackupTableSpec): string[] {
  return spec.fields.map((field) => field.name);
}
