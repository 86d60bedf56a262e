import { BigQuery } from "@google-cloud/bigquery";
import { TransientDependencyError } from "../errors";
import {
  completionFromRecord,
  completionToRecord,
  statusFromRecord,
  statusToRecord,
  toUtcIso,
} from "./backup_rows";
import { type DeadlineTimers, systemTimers, withDeadline } from "./call_deadline";
import type { BackupStore, CompletionRow, StatusRow } from "./backup_store";
import { BIGQUERY_ERROR_CODES, classifyBigQueryError } from "./bigquery_errors";
import { type BackupTableSpec, COMPLETIONS_TABLE, STATUS_TABLE } from "./bigquery_schema";
import {
  type BackupTableNames,
  completionMergeSql,
  selectCompletionsByDateSql,
  selectCompletionsReceivedSql,
  selectStatusSql,
  statusMergeSql,
  validateTableNames,
} from "./bigquery_sql";

/** Where and through which client the BigQuery backup writes. */
export interface BigQueryBackupStoreOptions extends BackupTableNames {
  /** Built with `createBigQueryClient`; tests point it at the loopback stand-in. */
  bigquery: BigQuery;
  /** Job location, e.g. `US`; defaults to the client's. */
  location?: string;
  /** Deadline of one store call; the client itself never times out. Default 20 s. */
  callTimeoutMs?: number;
  /** Timers for the deadline; tests pass fake ones. */
  timers?: DeadlineTimers;
}

/** Default deadline of one BigQuery call: a third of the 60 s function timeout. */
export const DEFAULT_BIGQUERY_CALL_TIMEOUT_MS = 20_000;

type ParamValue = unknown;
type ParamType = string | string[];
const DEPENDENCY = "bigquery";

/**
 * The production backup: `phase_completions` and `phase_completion_status` in BigQuery,
 * written with parameterised MERGE statements so that a retried write lands once.
 * Every failure is rethrown as a transient or permanent dependency error; nothing retries here.
 */
export class BigQueryBackupStore implements BackupStore {
  readonly kind = "bigquery";
  private readonly bigquery: BigQuery;
  private readonly names: BackupTableNames;
  private readonly location: string | undefined;
  private readonly callTimeoutMs: number;
  private readonly timers: DeadlineTimers;

  /** Throws `ConfigurationError` when a dataset or table id is not a plain identifier. */
  constructor(options: BigQueryBackupStoreOptions) {
    this.bigquery = options.bigquery;
    this.names = validateTableNames(options);
    this.location = options.location;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_BIGQUERY_CALL_TIMEOUT_MS;
    this.timers = options.timers ?? systemTimers;
  }

  async recordCompletion(row: CompletionRow): Promise<void> {
    const record = completionToRecord(row, DEPENDENCY);
    await this.run(completionMergeSql(this.names), bindRecord(COMPLETIONS_TABLE, record));
  }

  async upsertStatus(row: StatusRow): Promise<void> {
    const record = statusToRecord(row, DEPENDENCY);
    await this.run(statusMergeSql(this.names), bindRecord(STATUS_TABLE, record));
  }

  async listCompletions(phase: string, gameDate: string): Promise<CompletionRow[]> {
    const rows = await this.run(selectCompletionsByDateSql(this.names), {
      params: { phase, game_date: BigQuery.date(gameDate) },
      types: { phase: "STRING", game_date: "DATE" },
    });
    return rows.map((record) => completionFromRecord(record, DEPENDENCY));
  }

  async readStatus(phase: string, gameDate: string): Promise<StatusRow | null> {
    const rows = await this.run(selectStatusSql(this.names), {
      params: { phase, game_date: BigQuery.date(gameDate) },
      types: { phase: "STRING", game_date: "DATE" },
    });
    const first = rows[0];
    return first === undefined ? null : statusFromRecord(first);
  }

  async listCompletionsReceivedBetween(
    phase: string,
    fromIso: string,
    toIso: string,
  ): Promise<CompletionRow[]> {
    const rows = await this.run(selectCompletionsReceivedSql(this.names), {
      params: {
        phase,
        from_time: BigQuery.timestamp(toUtcIso(fromIso, DEPENDENCY)),
        to_time: BigQuery.timestamp(toUtcIso(toIso, DEPENDENCY)),
      },
      types: { phase: "STRING", from_time: "TIMESTAMP", to_time: "TIMESTAMP" },
    });
    return rows.map((record) => completionFromRecord(record, DEPENDENCY));
  }

  async ping(): Promise<void> {
    await this.run("SELECT 1 AS ok", { params: {}, types: {} });
  }

  async close(): Promise<void> {
    // The client keeps no connection that needs closing; kept for the interface.
  }

  private async run(
    query: string,
    bound: { params: Record<string, ParamValue>; types: Record<string, ParamType> },
  ): Promise<Record<string, unknown>[]> {
    const call = this.bigquery.query({
      query,
      params: bound.params,
      types: bound.types,
      ...(this.location === undefined ? {} : { location: this.location }),
    });
    try {
      const [rows] = await withDeadline(call, this.callTimeoutMs, this.timers, () => {
        const message = `BigQuery gave no answer within ${this.callTimeoutMs} ms`;
        return new TransientDependencyError(DEPENDENCY, message, {
          code: BIGQUERY_ERROR_CODES.timeout,
        });
      });
      return rows as Record<string, unknown>[];
    } catch (error) {
      throw classifyBigQueryError(error);
    }
  }
}

// Every parameter is declared with its schema type: the client cannot infer a type for a
// null or an empty array, and DATE and TIMESTAMP values must be wrapped, or the client
// silently sends them without a value.
function bindRecord(spec: BackupTableSpec, record: Record<string, unknown>) {
  const params: Record<string, ParamValue> = {};
  const types: Record<string, ParamType> = {};
  for (const field of spec.fields) {
    const value = record[field.name] ?? null;
    types[field.name] = field.mode === "REPEATED" ? [field.type] : field.type;
    if (value === null) params[field.name] = null;
    else if (field.type === "DATE") params[field.name] = BigQuery.date(String(value));
    else if (field.type === "TIMESTAMP") params[field.name] = BigQuery.timestamp(String(value));
    else params[field.name] = value;
  }
  return { params, types };
}
