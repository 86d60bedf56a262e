import type { ProcessorStatusView, StatusView } from "../tracker/status_view";
import { CELL_STATE_LABELS, cellStateOf } from "./cell_state";
import { escapeHtml as e } from "./escape_html";

/** One grid cell: the state in words and colour, the details one click away, a hover summary. */
export function renderCell(view: StatusView): string {
  const state = cellStateOf(view);
  const label = CELL_STATE_LABELS[state];
  const count = `${view.completed.length}/${view.expected.length}`;
  const title = [
    `${view.phase} ${view.gameDate}: ${label}`,
    `completed ${count}`,
    view.missing.length > 0 ? `missing: ${view.missing.join(", ")}` : "",
    view.failed.length > 0 ? `failed: ${view.failed.join(", ")}` : "",
    view.reason ? `reason: ${view.reason}` : "",
  ]
    .filter((x) => x.length > 0)
    .join("\n");
  return (
    `<td class="cell s-${state}" data-state="${state}" data-date="${e(view.gameDate)}" ` +
    `data-phase="${e(view.phase)}" title="${e(title)}">` +
    `<details><summary><span class="state">${e(label)}</span> ` +
    `<span class="count">${e(count)}</span></summary>` +
    renderFacts(view) +
    renderProcessors(view) +
    `</details></td>`
  );
}

function renderFacts(view: StatusView): string {
  const facts: [string, string | null][] = [
    ["mode", view.mode],
    ["reason", view.reason],
    ["triggered at", view.triggeredAt],
    ["published", view.triggered ? String(view.published) : null],
    ["idempotency key", view.idempotencyKey],
    ["next check", view.nextCheckAt],
    ["missing", view.missing.length > 0 ? view.missing.join(", ") : null],
    ["failed", view.failed.length > 0 ? view.failed.join(", ") : null],
    ["unknown", view.unknown.length > 0 ? view.unknown.map((p) => p.processor).join(", ") : null],
    ["source", view.degraded ? `${view.source} (backup, may lag)` : view.source],
  ];
  const rows = facts
    .filter((f): f is [string, string] => f[1] !== null && f[1] !== "")
    .map(([k, v]) => `<dt>${e(k)}</dt><dd data-fact="${e(k)}">${e(v)}</dd>`)
    .join("");
  return `<dl>${rows}</dl>`;
}

function renderProcessors(view: StatusView): string {
  const all: ProcessorStatusView[] = [...view.completed, ...view.unknown];
  if (all.length === 0) return "";
  const rows = all
    .map(
      (p) =>
        `<tr data-processor="${e(p.processor)}"><td>${e(p.processor)}</td>` +
        `<td>${e(p.status)}${p.late ? " (late)" : ""}</td>` +
        `<td>${e(p.completedAt ?? "")}</td><td>${e(p.deliveries)}</td>` +
        `<td>${e(p.reportedNames.join(", "))}</td></tr>`,
    )
    .join("");
  return (
    `<table class="procs"><thead><tr><th>processor</th><th>status</th><th>completed at</th>` +
    `<th>deliveries</th><th>reported as</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}
