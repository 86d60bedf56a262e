import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { describeError } from "../errors";
import type { Reply } from "../http/http_types";
import type { Logger } from "../logging/logger";
import type { StatusView } from "../tracker/status_view";
import { DateRangeError, parseDateRange } from "./date_range";
import { readStatusRange } from "./read_status_range";
import { renderStatusPage } from "./render_status_page";

/** What the range form of `GET /status` needs. */
export interface StatusRangeDeps {
  config: Pick<OrchestratorConfig, "name" | "label">;
  clock: Clock;
  logger: Logger;
  read: (gameDate: string) => Promise<StatusView>;
}

/** True when the client prefers HTML (a browser) over JSON. */
export function wantsHtml(accept: unknown): boolean {
  return typeof accept === "string" && /\btext\/html\b/i.test(accept);
}

/**
 * `GET /status?from=…&to=…` (or `?date=…` from a browser): the views of every date as
 * JSON, or the status page when the client asks for HTML. This function knows only its own
 * phase; `bin/orchestrator status --html` combines the three.
 */
export async function statusRangeRoute(
  deps: StatusRangeDeps,
  query: Record<string, unknown>,
  accept: unknown,
): Promise<Reply> {
  const from = String(query.from ?? query.date ?? "");
  const to = String(query.to ?? query.date ?? from);
  let dates: string[];
  try {
    dates = parseDateRange(from, to).dates;
  } catch (error) {
    if (!(error instanceof DateRangeError)) throw error;
    return { status: 400, body: { error: error.message } };
  }
  let views: StatusView[];
  try {
    views = await readStatusRange(dates, deps.read);
  } catch (error) {
    deps.logger.error("status_failed", `status unavailable: ${describeError(error)}`, {
      from,
      to,
    });
    return { status: 503, body: { error: "no store could answer; try again" } };
  }
  if (wantsHtml(accept)) {
    const html = renderStatusPage(views, {
      title: `${deps.config.label}: status ${from} to ${to}`,
      generatedAt: deps.clock.now().toISOString(),
    });
    return { status: 200, body: html, contentType: "text/html" };
  }
  return { status: 200, body: { from, to, views } };
}
