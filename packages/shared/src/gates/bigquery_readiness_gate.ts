import { BigQuery } from "@google-cloud/bigquery";
import { type DeadlineTimers, systemTimers, withDeadline } from "../backup/call_deadline";
import { describeError } from "../errors";
import type { GateSpec } from "./gate_config";
import { type GateCheck, type GateReport, gateReport, type ReadinessGate } from "./readiness_gate";

/** Default deadline of one gate query; several gates run in parallel within one message. */
export const DEFAULT_GATE_TIMEOUT_MS = 10_000;

/** Options of the BigQuery gate. */
export interface BigQueryReadinessGateOptions {
  bigquery: BigQuery;
  gates: readonly GateSpec[];
  location?: string;
  timeoutMs?: number;
  timers?: DeadlineTimers;
}

/**
 * Counts the rows of each gated table for the date with a parameterised query. A count that
 * cannot be read counts as not met: a blocking gate then waits for the next sweep rather
 * than trigger on data nobody checked.
 */
export class BigQueryReadinessGate implements ReadinessGate {
  private readonly timeoutMs: number;
  private readonly timers: DeadlineTimers;

  constructor(private readonly options: BigQueryReadinessGateOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS;
    this.timers = options.timers ?? systemTimers;
  }

  async check(gameDate: string): Promise<GateReport> {
    return gateReport(await Promise.all(this.options.gates.map((g) => this.checkOne(g, gameDate))));
  }

  private async checkOne(spec: GateSpec, gameDate: string): Promise<GateCheck> {
    try {
      const rows = await this.count(spec, gameDate);
      return { spec, rows, met: rows >= spec.minRows };
    } catch (error) {
      return { spec, rows: null, met: false, error: describeError(error) };
    }
  }

  private async count(spec: GateSpec, gameDate: string): Promise<number> {
    // Identifiers cannot be query parameters; the config schema allows only plain names.
    const query = `SELECT COUNT(*) AS row_count FROM \`${spec.table}\` WHERE \`${spec.dateColumn}\` = @game_date`;
    const call = this.options.bigquery.query({
      query,
      params: { game_date: BigQuery.date(gameDate) },
      types: { game_date: "DATE" },
      ...(this.options.location !== undefined && { location: this.options.location }),
    });
    const [rows] = await withDeadline(
      call,
      this.timeoutMs,
      this.timers,
      () => new Error(`gate query gave no answer within ${this.timeoutMs} ms`),
    );
    const value = (rows as Record<string, unknown>[])[0]?.row_count;
    const count = Number(value ?? 0);
    if (!Number.isFinite(count)) throw new Error(`row_count is not a number: ${String(value)}`);
    return count;
  }
}
