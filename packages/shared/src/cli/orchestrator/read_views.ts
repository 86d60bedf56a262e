import type { TransitionName } from "../../config/transition_defaults";
import type { Orchestrator } from "../../http/orchestrator_app";
import { type StatusView, statusFromBackup, statusFromSnapshot } from "../../tracker/status_view";
import { UsageError } from "./cli_io";

/**
 * The status of one phase and date, straight from Firestore, or from the backup store when
 * asked (never silently: the view says which store answered).
 */
export async function readView(
  orchestrator: Orchestrator,
  gameDate: string,
  fromBackup: boolean,
): Promise<StatusView> {
  const { config, backup, state, clock } = orchestrator;
  if (!fromBackup) {
    return statusFromSnapshot(config, await state.readSnapshot(gameDate), clock.now());
  }
  if (!backup) {
    throw new UsageError(`--from-backup: ${config.name} has no backup store (BACKUP_KIND=none)`);
  }
  const [rows, status] = await Promise.all([
    backup.listCompletions(config.sourcePhase, gameDate),
    backup.readStatus(config.sourcePhase, gameDate),
  ]);
  return statusFromBackup(config, gameDate, rows, status, backup.kind);
}

/** Keys a view by date and orchestrator, for building grids. */
export function viewKey(gameDate: string, name: TransitionName | string): string {
  return `${gameDate}|${name}`;
}
