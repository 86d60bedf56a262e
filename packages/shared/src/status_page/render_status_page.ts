import type { StatusView } from "../tracker/status_view";
import { CELL_STATE_LABELS, CELL_STATES } from "./cell_state";
import { escapeHtml as e } from "./escape_html";
import { pageStyle } from "./page_style";
import { renderCell } from "./render_cell";

/** What the page says about itself besides the grid. */
export interface StatusPageOptions {
  title?: string;
  /** When the page was made (ISO); shown so an operator knows how old it is. */
  generatedAt: string;
}

/**
 * The status page: one row per game date, one column per phase, each cell coloured by its
 * state with its details in a `<details>` (click) and a `title` (hover). A pure function of
 * the views, so the function's route and the CLI render the same page. Dates come newest
 * first; phases in pipeline order.
 */
export function renderStatusPage(views: readonly StatusView[], options: StatusPageOptions): string {
  const phases = [...new Map(views.map((v) => [v.phase, v.transition])).entries()].sort(
    ([a], [b]) => a.localeCompare(b),
  );
  const dates = [...new Set(views.map((v) => v.gameDate))].sort().reverse();
  const byKey = new Map(views.map((v) => [`${v.gameDate}|${v.phase}`, v]));
  const head = phases
    .map(
      ([phase, transition]) =>
        `<th scope="col">${e(phase)}<br><small>${e(transition)}</small></th>`,
    )
    .join("");
  const body = dates
    .map((date) => {
      const cells = phases
        .map(([phase]) => {
          const view = byKey.get(`${date}|${phase}`);
          return view ? renderCell(view) : `<td class="cell" data-state="none">no data</td>`;
        })
        .join("");
      return `<tr><th scope="row">${e(date)}</th>${cells}</tr>`;
    })
    .join("\n");
  const degraded = [...new Set(views.filter((v) => v.degraded).map((v) => v.source))];
  const warning =
    degraded.length > 0
      ? `<p class="warn" role="status">Read from the backup store (${e(degraded.join(", "))}) ` +
        `because the primary store did not answer: it may lag.</p>`
      : "";
  const legend = CELL_STATES.map(
    (s) => `<li class="s-${s}" data-legend="${s}">${e(CELL_STATE_LABELS[s])}</li>`,
  ).join("");
  const title = options.title ?? "Pipeline status";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${pageStyle()}</style></head>
<body><h1>${e(title)}</h1>
<p class="meta">Generated ${e(options.generatedAt)} · ${dates.length} date(s) · click a cell for details</p>
${warning}<ul class="legend">${legend}</ul>
<table class="grid"><thead><tr><th scope="col">game date</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}
