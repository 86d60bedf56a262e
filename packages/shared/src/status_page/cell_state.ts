import type { StatusView } from "../tracker/status_view";

/** How one phase stands on one date, in the order of how much it needs a look. */
export const CELL_STATES = [
  "not_started",
  "in_progress",
  "triggered",
  "triggered_partial",
  "late_completions",
  "failed",
] as const;

/** One of `CELL_STATES`. */
export type CellState = (typeof CELL_STATES)[number];

/** Words for each state, for the legend and for screen readers. */
export const CELL_STATE_LABELS: Record<CellState, string> = {
  not_started: "not started",
  in_progress: "in progress",
  triggered: "triggered",
  triggered_partial: "triggered partially (missing processors)",
  late_completions: "late completions",
  failed: "failed processors",
};

/**
 * The one state a cell is coloured by. A failed processor that never recovered matters
 * most (the next phase ran, or will run, without it), then completions that arrived after
 * the trigger, then a trigger that went out with processors missing.
 */
export function cellStateOf(view: StatusView): CellState {
  if (view.failed.length > 0) return "failed";
  if (view.triggered) {
    if (view.completed.some((p) => p.late)) return "late_completions";
    if (view.missing.length > 0) return "triggered_partial";
    return "triggered";
  }
  if (view.completed.length > 0 || view.unknown.length > 0) return "in_progress";
  return "not_started";
}
