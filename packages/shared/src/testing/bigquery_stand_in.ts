import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for the BigQuery REST API v2, enough for the real
 * `@google-cloud/bigquery` client: jobs.query, jobs.insert, jobs.get, getQueryResults,
 * datasets and tables get/insert. It records every request, executes no SQL (reads return
 * rows queued by the test), and can be scripted to fail, hang or answer slowly.
 */

/** A scripted failure: the HTTP answer BigQuery gives in that case, or a broken connection. */
export type StandInFailure =
  | "server_error"
  | "unavailable"
  | "rate_limited"
  | "dml_conflict"
  | "invalid_query"
  | "access_denied"
  | "not_found"
  | "reset"
  | "hang";

/** One request as the client sent it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/bigquery/v2/projects/p/queries`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or null. */
  body: unknown;
}

/** A query as it travelled: SQL text and named parameters with their declared types. */
export interface RecordedQuery {
  sql: string;
  params: Record<string, { type: string; value: unknown }>;
  location: string | undefined;
}

/** A column of rows queued for a read; inferred from the first row when not given. */
export interface StandInField {
  name: string;
  type: "STRING" | "INTEGER" | "BOOLEAN" | "TIMESTAMP" | "DATE";
  mode?: "NULLABLE" | "REQUIRED" | "REPEATED";
}

type Row = Record<string, unknown>;
interface ScriptedFailure {
  failure: StandInFailure;
  match: (request: RecordedRequest) => boolean;
}

// What BigQuery answers in each case: [HTTP status, ErrorProto reason, message].
const ERRORS: Record<Exclude<StandInFailure, "reset" | "hang">, [number, string, string]> = {
  server_error: [500, "backendError", "Backend error."],
  unavailable: [503, "backendError", "Service unavailable."],
  rate_limited: [429, "rateLimitExceeded", "Exceeded rate limits."],
  dml_conflict: [
    400,
    "invalidQuery",
    "Could not serialize access to table stand-in:nba_orchestration.phase_completions due to concurrent update",
  ],
  invalid_query: [400, "invalidQuery", "Syntax error: Unexpected end of script at [1:1]"],
  access_denied: [403, "accessDenied", "Access Denied: Table phase_completions"],
  not_found: [404, "notFound", "Not found: Table phase_completions"],
};

/** The running stand-in. Start with `BigQueryStandIn.start()`, stop with `close()`. */
export class BigQueryStandIn {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** Datasets and tables created through the API, keyed `dataset` and `dataset.table`. */
  readonly resources = new Map<string, Record<string, unknown>>();
  private readonly failures: ScriptedFailure[] = [];
  private readonly rowQueue: { fields: StandInField[]; rows: Row[] }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly results = new Map<string, Record<string, unknown>>();
  private delayMs = 0;

  private constructor(
    private readonly server: http.Server,
    /** Base URL to pass as `apiEndpoint`, e.g. `http://127.0.0.1:41234`. */
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1 on a free port. */
  static async start(): Promise<BigQueryStandIn> {
    let standIn: BigQueryStandIn | undefined;
    const server = http.createServer((req, res) => standIn?.receive(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new BigQueryStandIn(server, `http://127.0.0.1:${port}`);
    return standIn;
  }

  /** The next `count` requests (that `match`, default all) fail with `failure`. */
  failNext(
    count: number,
    failure: StandInFailure,
    match: (r: RecordedRequest) => boolean = () => true,
  ): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ failure, match });
  }

  /** Waits this long before answering every request (real time: it plays a slow server). */
  setDelayMs(delayMs: number): void {
    this.delayMs = delayMs;
  }

  /** Rows the next SELECT answers with; later SELECTs take later queued sets, then none. */
  queueRows(rows: Row[], fields?: StandInField[]): void {
    this.rowQueue.push({ fields: fields ?? inferFields(rows[0] ?? {}), rows });
  }

  /** The queries sent through jobs.query or jobs.insert, oldest first. */
  queries(): RecordedQuery[] {
    return this.requests.flatMap((request) => {
      const sent = wireQueryOf(request);
      if (sent === undefined) return [];
      const params: RecordedQuery["params"] = {};
      for (const p of sent.query.queryParameters ?? []) {
        params[p.name] = {
          type: describeType(p.parameterType),
          value: parameterValue(p.parameterValue),
        };
      }
      return [{ sql: sent.query.query ?? "", params, location: sent.location }];
    });
  }

  /** Forgets requests, scripted failures, queued rows, resources and the delay. */
  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
    this.rowQueue.length = 0;
    this.resources.clear();
    this.results.clear();
    this.delayMs = 0;
  }

  /** Stops listening and drops open connections, hung ones included. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const text = Buffer.concat(chunks).toString("utf8");
      const request: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text === "" ? null : JSON.parse(text),
      };
      this.requests.push(request);
      const index = this.failures.findIndex((f) => f.match(request));
      const failure = index >= 0 ? this.failures.splice(index, 1)[0]?.failure : undefined;
      if (failure === "hang") return;
      const answer = () => {
        if (failure === "reset") req.socket.destroy();
        else sendJson(res, failure === undefined ? this.route(request) : errorReply(failure));
      };
      if (this.delayMs <= 0) {
        answer();
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        answer();
      }, this.delayMs);
      this.timers.add(timer);
    });
  }

  private route(request: RecordedRequest): Reply {
    const parts = request.path.replace(/^\/bigquery\/v2\/projects\//, "").split("/");
    const [project = "", collection, id, sub, subId] = parts;
    const sent = wireQueryOf(request);
    if (sent !== undefined) {
      const insert = request.body as JobsInsertBody;
      const jobId = insert.jobReference?.jobId ?? `stand_in_${randomUUID()}`;
      const result = this.queryResponse(project, sent.query, jobId);
      this.results.set(jobId, result);
      if (collection === "queries") return { status: 200, body: result };
      const job = { ...insert, id: `${project}:${jobId}`, jobReference: result.jobReference };
      return { status: 200, body: { ...job, status: { state: "DONE" } } };
    }
    if (collection === "queries" && id !== undefined) {
      const result = this.results.get(id) ?? this.queryResponse(project, {}, id);
      return { status: 200, body: { ...result, kind: "bigquery#getQueryResultsResponse" } };
    }
    if (collection === "jobs" && id !== undefined) {
      const jobReference = { projectId: project, jobId: id, location: "US" };
      return { status: 200, body: { jobReference, status: { state: "DONE" } } };
    }
    if (collection === "datasets") {
      return this.resource(request, id ?? "", sub === "tables" ? (subId ?? "") : undefined);
    }
    return errorReply("not_found");
  }

  // Datasets and tables: get answers 404 until created; insert answers 409 when it exists.
  private resource(request: RecordedRequest, dataset: string, table?: string): Reply {
    if (request.method === "POST") {
      const body = request.body as ResourceBody;
      const key =
        table === undefined
          ? (body.datasetReference?.datasetId ?? "")
          : `${dataset}.${body.tableReference?.tableId ?? ""}`;
      if (this.resources.has(key)) {
        return { status: 409, body: errorBody(409, "duplicate", `Already Exists: ${key}`) };
      }
      this.resources.set(key, body as Record<string, unknown>);
      return { status: 200, body };
    }
    const found = this.resources.get(table ? `${dataset}.${table}` : dataset);
    return found === undefined ? errorReply("not_found") : { status: 200, body: found };
  }

  private queryResponse(project: string, query: WireQuery, jobId: string) {
    const jobReference = { projectId: project, jobId, location: "US" };
    const base = { kind: "bigquery#queryResponse", jobReference, jobComplete: true };
    if (!/^\s*SELECT\b/i.test(query.query ?? "")) {
      return { ...base, totalRows: "0", numDmlAffectedRows: "1" };
    }
    const next = this.rowQueue.shift() ?? { fields: [], rows: [] };
    const rows = next.rows.map((row) => encodeRow(next.fields, row));
    return { ...base, schema: { fields: next.fields }, totalRows: String(rows.length), rows };
  }
}

interface Reply {
  status: number;
  body: unknown;
}
interface ResourceBody {
  datasetReference?: { datasetId?: string };
  tableReference?: { tableId?: string };
}

/** The query of a jobs.query body, or of a jobs.insert body's `configuration.query`. */
interface WireQuery {
  query?: string;
  queryParameters?: WireParameter[];
}
interface JobsInsertBody {
  configuration?: { query?: WireQuery };
  jobReference?: { jobId?: string; location?: string };
}

function wireQueryOf(
  request: RecordedRequest,
): { query: WireQuery; location?: string } | undefined {
  if (request.method !== "POST" || request.body === null) return undefined;
  if (request.path.endsWith("/queries")) {
    const body = request.body as WireQuery & { location?: string };
    return { query: body, location: body.location };
  }
  if (request.path.endsWith("/jobs")) {
    const body = request.body as JobsInsertBody;
    const query = body.configuration?.query;
    return query === undefined ? undefined : { query, location: body.jobReference?.location };
  }
  return undefined;
}
interface WireType {
  type: string;
  arrayType?: WireType;
}
interface WireValue {
  value?: unknown;
  arrayValues?: WireValue[];
}
interface WireParameter {
  name: string;
  parameterType: WireType;
  parameterValue: WireValue;
}

function describeType(type: WireType): string {
  return type.arrayType ? `ARRAY<${describeType(type.arrayType)}>` : type.type;
}

function parameterValue(value: WireValue): unknown {
  if (value.arrayValues) return value.arrayValues.map(parameterValue);
  return value.value;
}

function inferFields(row: Row): StandInField[] {
  return Object.entries(row).map(([name, value]) => {
    const sample = Array.isArray(value) ? value[0] : value;
    const type =
      typeof sample === "boolean" ? "BOOLEAN" : typeof sample === "number" ? "INTEGER" : "STRING";
    return { name, type, mode: Array.isArray(value) ? "REPEATED" : "NULLABLE" };
  });
}

// The tabledata wire format: every cell is {v}, scalars as strings, arrays as lists of {v}.
function encodeRow(fields: StandInField[], row: Row) {
  const cell = (value: unknown) => ({
    v: value === null || value === undefined ? null : String(value),
  });
  return {
    f: fields.map((field) => {
      const value = row[field.name];
      return field.mode === "REPEATED"
        ? { v: ((value as unknown[]) ?? []).map(cell) }
        : cell(value);
    }),
  };
}

function errorBody(status: number, reason: string, message: string) {
  return { error: { code: status, message, errors: [{ message, domain: "global", reason }] } };
}

function errorReply(failure: keyof typeof ERRORS): Reply {
  const [status, reason, message] = ERRORS[failure];
  return { status, body: errorBody(status, reason, message) };
}

function sendJson(res: http.ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(reply.body));
}
