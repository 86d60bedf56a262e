/** One function served by the functions host. */
export interface ServedFunction {
  /** Orchestrator name, e.g. `phase2-to-phase3`. */
  name: string;
  entryPoint: string;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
}

/** One HTTP request a function answered, as the host observed it. */
export interface ObservedRequest {
  type: "request";
  function: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Pub/Sub message id of a push delivery, when the body had one. */
  messageId?: string;
  /** The delivered completion as `processor (status)`, when the body had one. */
  summary?: string;
  /** The response body, cut to a readable length. */
  responseBody: string;
}

/** What the functions host tells the demo over the IPC channel. */
export type HostEvent =
  | { type: "ready"; pid: number; functions: ServedFunction[] }
  | { type: "start_failed"; error: string }
  | ObservedRequest;

/** Longest response body the host forwards; status bodies are read by the demo itself. */
export const MAX_FORWARDED_BODY_CHARS = 500;
