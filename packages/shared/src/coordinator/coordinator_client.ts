import {
  ExponentialBackoff,
  handleWhen,
  noJitterGenerator,
  retry,
  type RetryPolicy,
} from "cockatiel";
import {
  describeError,
  isRetryable,
  PermanentDependencyError,
  TransientDependencyError,
} from "../errors";
import type { IdTokenProvider } from "./id_token_provider";

const DEPENDENCY = "prediction_coordinator";

/** What `/start` receives. */
export interface CoordinatorStartRequest {
  game_date: string;
  correlation_id: string;
  /** The trigger's idempotency key: the coordinator drops a repeat. */
  idempotency_key: string;
}

/** How the call to the coordinator ended, after every retry. */
export interface CoordinatorCallResult {
  ok: boolean;
  /** Requests made, the first included. */
  attempts: number;
  /** HTTP status of the last answer, if any came. */
  httpStatus?: number;
  error?: string;
}

/** Retry and deadline settings of the coordinator call. */
export interface CoordinatorCallSettings {
  /** Retries after the first request. */
  maxRetries: number;
  /** Delay before the first retry; doubles each time, up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Deadline of one request. */
  timeoutMs: number;
}

/**
 * The call runs inside the message's 60 s budget: at worst 3 requests × 8 s plus 1 s and
 * 2 s of backoff, 27 s, leaves room for the store and publish work around it.
 */
export const DEFAULT_COORDINATOR_SETTINGS: CoordinatorCallSettings = {
  maxRetries: 2,
  initialBackoffMs: 1_000,
  maxBackoffMs: 8_000,
  timeoutMs: 8_000,
};

/**
 * Starts the prediction coordinator: `POST <baseUrl>/start` with a Google ID token whose
 * audience is the base URL (the Cloud Run service URL). Transient failures (no answer,
 * 408, 429, 5xx, no token) are retried with exponential backoff; other refusals are not.
 */
export class CoordinatorClient {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly baseUrl: string,
    private readonly tokens: IdTokenProvider,
    private readonly settings: CoordinatorCallSettings = DEFAULT_COORDINATOR_SETTINGS,
  ) {
    this.policy = retry(
      handleWhen((error) => isRetryable(error)),
      {
        maxAttempts: settings.maxRetries,
        backoff: new ExponentialBackoff({
          initialDelay: settings.initialBackoffMs,
          maxDelay: settings.maxBackoffMs,
          // Fixed delays: one caller per date, so there is no herd to spread out.
          generator: noJitterGenerator,
        }),
      },
    );
  }

  /** Calls `/start`, retrying; never throws, the result says how it went. */
  async start(request: CoordinatorStartRequest): Promise<CoordinatorCallResult> {
    let attempts = 0;
    let httpStatus: number | undefined;
    try {
      await this.policy.execute(async () => {
        attempts += 1;
        httpStatus = await this.postOnce(request);
      });
      return { ok: true, attempts, ...(httpStatus !== undefined && { httpStatus }) };
    } catch (error) {
      const status = (error as { httpStatus?: number }).httpStatus;
      return {
        ok: false,
        attempts,
        ...(status !== undefined && { httpStatus: status }),
        error: describeError(error),
      };
    }
  }

  private async postOnce(request: CoordinatorStartRequest): Promise<number> {
    let token: string;
    try {
      token = await this.tokens(this.baseUrl);
    } catch (error) {
      throw new TransientDependencyError("google_auth", "no ID token for the coordinator", {
        cause: error,
      });
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl.replace(/\/+$/, "")}/start`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new TransientDependencyError(DEPENDENCY, "coordinator did not answer", {
        cause: error,
      });
    }
    await response.arrayBuffer().catch(() => undefined); // Frees the connection.
    if (response.ok) return response.status;
    const transient = response.status === 408 || response.status === 429 || response.status >= 500;
    const message = `coordinator answered ${response.status}`;
    const error = transient
      ? new TransientDependencyError(DEPENDENCY, message)
      : new PermanentDependencyError(DEPENDENCY, message);
    throw Object.assign(error, { httpStatus: response.status });
  }
}
