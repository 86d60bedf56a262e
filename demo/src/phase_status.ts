import type { StatusView } from "@orchestrator/shared";
import type { PhaseRun } from "./pipeline";

/** Per-request limit on `/status`: the function answers from the local emulator. */
const STATUS_TIMEOUT_MS = 10_000;

/** One phase's `/status` answer, or what went wrong asking for it. */
export interface PhaseStatus {
  run: PhaseRun;
  status?: StatusView;
  /** Request and response, when the function did not answer 200 with JSON. */
  error?: string;
}

/** Asks each function for its view of `gameDate` through `GET /status`. */
export async function fetchStatuses(runs: PhaseRun[], gameDate: string): Promise<PhaseStatus[]> {
  return Promise.all(runs.map((run) => fetchStatus(run, gameDate)));
}

async function fetchStatus(run: PhaseRun, gameDate: string): Promise<PhaseStatus> {
  const url = `${run.url}/status?date=${gameDate}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) {
      return { run, error: `GET ${url} answered ${response.status}: ${text.slice(0, 300)}` };
    }
    return { run, status: JSON.parse(text) as StatusView };
  } catch (error) {
    return { run, error: `GET ${url} failed: ${(error as Error).message}` };
  }
}
