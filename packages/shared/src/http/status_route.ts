import type { BackupStore } from "../backup/backup_store";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { describeError } from "../errors";
import type { Logger } from "../logging/logger";
import { isGameDate } from "../messages/game_date";
import type { StateStore } from "../state/state_store";
import { statusRangeRoute, wantsHtml } from "../status_page/status_range_route";
import { type StatusView, statusFromBackup, statusFromSnapshot } from "../tracker/status_view";
import type { Reply } from "./http_types";

/** What `GET /status` needs. */
export interface StatusDeps {
  config: OrchestratorConfig;
  state: StateStore;
  backup: BackupStore | null;
  clock: Clock;
  logger: Logger;
}

/**
 * The state of one date from Firestore, or from the backup (saying so) when Firestore
 * cannot answer.
 */
export async function readStatus(deps: StatusDeps, gameDate: string): Promise<StatusView> {
  try {
    const snapshot = await deps.state.readSnapshot(gameDate);
    return statusFromSnapshot(deps.config, snapshot, deps.clock.now());
  } catch (primaryError) {
    if (!deps.backup) throw primaryError;
    deps.logger.warn(
      "status_from_backup",
      `primary unavailable, status read from ${deps.backup.kind}`,
      {
        gameDate,
        error: describeError(primaryError),
      },
    );
    const [rows, status] = await Promise.all([
      deps.backup.listCompletions(deps.config.sourcePhase, gameDate),
      deps.backup.readStatus(deps.config.sourcePhase, gameDate),
    ]);
    return statusFromBackup(deps.config, gameDate, rows, status, deps.backup.kind);
  }
}

/** `GET /status?date=YYYY-MM-DD`; `?from=&to=` (or HTML asked for) answers a range. */
export async function statusRoute(
  deps: StatusDeps,
  query: Record<string, unknown>,
  accept?: unknown,
): Promise<Reply> {
  if (query.from !== undefined || query.to !== undefined || wantsHtml(accept)) {
    return statusRangeRoute({ ...deps, read: (d) => readStatus(deps, d) }, query, accept);
  }
  const date = typeof query.date === "string" ? query.date : "";
  if (!isGameDate(date)) {
    return { status: 400, body: { error: "query parameter date=YYYY-MM-DD is required" } };
  }
  try {
    return { status: 200, body: await readStatus(deps, date) };
  } catch (error) {
    deps.logger.error("status_failed", `status unavailable: ${describeError(error)}`, {
      gameDate: date,
    });
    return { status: 503, body: { error: "no store could answer; try again" } };
  }
}
