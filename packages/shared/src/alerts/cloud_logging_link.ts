/** Where the function runs, for building a link to its logs. */
export interface LogLocation {
  projectId?: string;
  /** e.g. `us-west2`; left out of the query when unknown. */
  region?: string;
}

const LOGS_EXPLORER_URL = "https://console.cloud.google.com/logs/query";

/**
 * A Logs Explorer link showing the function's log lines, narrowed to one correlation id when
 * known. The query matches both 1st-gen functions (`cloud_function`) and 2nd-gen ones, which
 * run as Cloud Run services named after the function, so the link works whichever is deployed.
 * Returns undefined without a project id: a link to the wrong project is worse than none.
 */
export function cloudLoggingLink(
  location: LogLocation,
  functionName: string,
  correlationId?: string,
): string | undefined {
  if (!location.projectId) return undefined;
  const fn = quote(functionName);
  const gen1 = [`resource.type="cloud_function"`, `resource.labels.function_name=${fn}`];
  const gen2 = [`resource.type="cloud_run_revision"`, `resource.labels.service_name=${fn}`];
  if (location.region) {
    gen1.push(`resource.labels.region=${quote(location.region)}`);
    gen2.push(`resource.labels.location=${quote(location.region)}`);
  }
  let query = `(${gen1.join(" AND ")}) OR (${gen2.join(" AND ")})`;
  if (correlationId) query = `(${query})\nAND jsonPayload.correlationId=${quote(correlationId)}`;
  // The console reads the query from a matrix parameter (`;query=`), not from `?query=`.
  return (
    `${LOGS_EXPLORER_URL};query=${encodeURIComponent(query)}` +
    `?project=${encodeURIComponent(location.projectId)}`
  );
}

/** A Logging-query string literal; quotes and backslashes inside are escaped. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
