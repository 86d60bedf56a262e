import { describe, expect, it } from "vitest";
import { classifyBigQueryError } from "../../src/backup/bigquery_errors";
import { InvalidMessageError } from "../../src/errors";

// Shapes as @google-cloud/common builds them: ApiError {code, errors, message}; network
// errors from node-fetch carry a string `code`.
function apiError(code: number | undefined, reason: string, message: string) {
  return Object.assign(new Error(message), { code, errors: [{ reason, message }] });
}

describe("classifyBigQueryError", () => {
  it.each([
    [apiError(500, "backendError", "Backend error"), "bigquery_unavailable"],
    [apiError(502, "", "Bad gateway"), "bigquery_unavailable"],
    [apiError(503, "backendError", "Unavailable"), "bigquery_unavailable"],
    [apiError(504, "", "Gateway timeout"), "bigquery_unavailable"],
    [apiError(undefined, "internalError", "job failed internally"), "bigquery_unavailable"],
    [apiError(429, "", "Too many requests"), "bigquery_rate_limited"],
    [apiError(403, "rateLimitExceeded", "Exceeded rate limits"), "bigquery_rate_limited"],
    [
      apiError(400, "invalidQuery", "Exceeded rate limits: too many table update operations"),
      "bigquery_rate_limited",
    ],
    [
      apiError(
        400,
        "invalidQuery",
        "Could not serialize access to table p:d.t due to concurrent update",
      ),
      "bigquery_dml_conflict",
    ],
    [
      apiError(
        400,
        "invalidQuery",
        "Query error: Transaction is aborted due to concurrent update against table p.d.t",
      ),
      "bigquery_dml_conflict",
    ],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "bigquery_unavailable"],
    [Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" }), "bigquery_unavailable"],
    [Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }), "bigquery_unavailable"],
    [new Error("something unexpected"), "bigquery_unavailable"],
  ])("treats %s as transient (%s)", (error, code) => {
    expect(classifyBigQueryError(error)).toMatchObject({ code, retryable: true, cause: error });
  });

  it.each([
    [apiError(400, "invalidQuery", "Syntax error"), "bigquery_rejected"],
    [apiError(400, "invalid", "Invalid value"), "bigquery_rejected"],
    [apiError(403, "accessDenied", "Access Denied"), "bigquery_access_denied"],
    [apiError(404, "notFound", "Not found: Table"), "bigquery_not_found"],
    [apiError(403, "quotaExceeded", "Quota exceeded"), "bigquery_quota_exceeded"],
  ])("treats %s as permanent (%s)", (error, code) => {
    expect(classifyBigQueryError(error)).toMatchObject({ code, retryable: false });
  });

  it("passes errors of this package through unchanged", () => {
    const own = new InvalidMessageError("bad", "excerpt");
    expect(classifyBigQueryError(own)).toBe(own);
  });
});
