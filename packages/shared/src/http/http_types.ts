/** The parts of an Express request the orchestrator reads. */
export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Raw bytes, kept by the Functions Framework; used for the size limit. */
  rawBody?: Buffer;
}

/** The parts of an Express response the orchestrator writes. */
export interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
  send(body: string): unknown;
  set(field: string, value: string): unknown;
}

/** An answer before it is written: status code and JSON (or HTML) body. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: "application/json" | "text/html";
}
