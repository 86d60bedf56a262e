import type { CellState } from "./cell_state";

/** Background of each state; each also shows its name in words, so colour is not the only cue. */
export const STATE_COLOURS: Record<CellState, string> = {
  not_started: "#e5e7eb",
  in_progress: "#bfdbfe",
  triggered: "#86efac",
  triggered_partial: "#fde68a",
  late_completions: "#d8b4fe",
  failed: "#fca5a5",
};

/** The page's whole style sheet, inline so the page needs no other request. */
export function pageStyle(): string {
  const states = Object.entries(STATE_COLOURS)
    .map(([state, colour]) => `.s-${state}{background:${colour}}`)
    .join("\n");
  return `
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#111}
h1{font-size:18px;margin:0 0 4px}
.meta{color:#555;margin:0 0 12px}
.warn{background:#fff7ed;border:1px solid #fdba74;padding:6px 10px;margin:0 0 12px}
table.grid{border-collapse:collapse}
.grid th,.grid td{border:1px solid #9ca3af;padding:4px 8px;vertical-align:top;text-align:left}
.grid th{background:#f3f4f6}
.grid th[scope=row]{white-space:nowrap}
.cell{min-width:220px}
.cell summary{cursor:pointer;font-weight:600}
.cell .count{font-weight:400;color:#333}
.cell dl{margin:6px 0;display:grid;grid-template-columns:auto 1fr;gap:2px 8px}
.cell dt{color:#444}
.cell dd{margin:0;word-break:break-all}
.procs{border-collapse:collapse;margin-top:4px;font-size:12px}
.procs td,.procs th{border:1px solid #d1d5db;padding:1px 4px}
.legend{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px;padding:0;list-style:none}
.legend li{padding:2px 8px;border:1px solid #9ca3af}
${states}`;
}
