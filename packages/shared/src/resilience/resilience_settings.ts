import { ConfigurationError } from "../errors";

/** Retry, breaker and deadline settings of one orchestrator instance. */
export interface ResilienceSettings {
  /** Attempts per call, the first included (RETRY_MAX_ATTEMPTS, default 3). */
  retryMaxAttempts: number;
  /** Upper bound of the first retry delay (RETRY_BASE_MS, default 1 s). */
  retryBaseMs: number;
  /** No retry delay is longer than this (RETRY_CAP_MS, default 10 s). */
  retryCapMs: number;
  /** Failed Firestore calls in a row that open the breaker (BREAKER_CONSECUTIVE_FAILURES, 5). */
  breakerConsecutiveFailures: number;
  /** How long the breaker stays open before one probe call (BREAKER_HALF_OPEN_AFTER_MS, 30 s). */
  breakerHalfOpenAfterMs: number;
  /** Deadline of one Firestore attempt (FIRESTORE_CALL_TIMEOUT_MS, default 10 s). */
  firestoreCallTimeoutMs: number;
}

/**
 * Defaults sized for a 60 s function timeout: three Firestore attempts of at most 10 s each
 * plus at most 1 s + 2 s of delay leave time to answer Pub/Sub before the platform kills us.
 */
export const DEFAULT_RESILIENCE_SETTINGS: ResilienceSettings = {
  retryMaxAttempts: 3,
  retryBaseMs: 1_000,
  retryCapMs: 10_000,
  breakerConsecutiveFailures: 5,
  breakerHalfOpenAfterMs: 30_000,
  firestoreCallTimeoutMs: 10_000,
};

const ENV_NAMES: Record<keyof ResilienceSettings, string> = {
  retryMaxAttempts: "RETRY_MAX_ATTEMPTS",
  retryBaseMs: "RETRY_BASE_MS",
  retryCapMs: "RETRY_CAP_MS",
  breakerConsecutiveFailures: "BREAKER_CONSECUTIVE_FAILURES",
  breakerHalfOpenAfterMs: "BREAKER_HALF_OPEN_AFTER_MS",
  firestoreCallTimeoutMs: "FIRESTORE_CALL_TIMEOUT_MS",
};

/**
 * Reads the settings from `env`, falling back to the defaults. Every value must be a whole
 * number ≥ 1; a bad one throws `ConfigurationError` naming every bad variable, at start-up.
 */
export function loadResilienceSettings(
  env: Record<string, string | undefined> = process.env,
): ResilienceSettings {
  const settings = { ...DEFAULT_RESILIENCE_SETTINGS };
  const problems: string[] = [];
  for (const key of Object.keys(ENV_NAMES) as (keyof ResilienceSettings)[]) {
    const name = ENV_NAMES[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      problems.push(`${name}: must be a whole number >= 1`);
    else settings[key] = value;
  }
  if (settings.retryCapMs < settings.retryBaseMs) {
    problems.push("RETRY_CAP_MS: must not be below RETRY_BASE_MS");
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`invalid resilience configuration: ${problems.join("; ")}`);
  }
  return settings;
}
