import type { Reply } from "../http/http_types";
import type { Logger } from "../logging/logger";
import type { ReadinessChecker } from "./readiness";

/** What `GET /ready` needs. */
export interface ReadyDeps {
  config: { name: string; version: string };
  readiness?: ReadinessChecker;
  logger: Logger;
}

/**
 * `GET /ready`: 200 when every dependency answered in time, 503 naming the ones that did
 * not. The body holds names, latencies and short error codes only.
 */
export async function readyRoute(deps: ReadyDeps): Promise<Reply> {
  const { config } = deps;
  if (!deps.readiness) {
    return {
      status: 503,
      body: { name: config.name, status: "not_ready", error: "readiness checks not configured" },
    };
  }
  const report = await deps.readiness.check();
  const down = Object.entries(report.dependencies)
    .filter(([, health]) => !health.ok)
    .map(([name]) => name);
  if (down.length > 0 && !report.cached) {
    deps.logger.warn("not_ready", `dependencies not ready: ${down.join(", ")}`, {
      dependencies: report.dependencies,
    });
  }
  return {
    status: report.ready ? 200 : 503,
    body: {
      name: config.name,
      version: config.version,
      status: report.ready ? "ready" : "not_ready",
      down,
      ...report,
    },
  };
}
