import type { BreakerEvent } from "./circuit_breaker";

/** Something the resilience layer did that the entry point logs (inner layers never log). */
export type ResilienceEvent =
  | {
      kind: "retry";
      /** `firestore` or the backup kind (`bigquery`, `duckdb`). */
      store: string;
      method: string;
      attempt: number;
      delayMs: number;
      error: unknown;
      gameDate?: string;
    }
  | BreakerEventOf<"opened">
  | BreakerEventOf<"half_open">
  | BreakerEventOf<"probe_failed">
  | BreakerEventOf<"closed">;

/** A breaker event renamed `breaker_<kind>`, from the Firestore breaker. */
type BreakerEventOf<K extends BreakerEvent["kind"]> = {
  store: "firestore";
  kind: `breaker_${K}`;
} & Omit<Extract<BreakerEvent, { kind: K }>, "kind">;

/** Where resilience events go; the composition root subscribes its logger. */
export type ResilienceListener = (event: ResilienceEvent) => void;
