import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PermanentDependencyError, TransientDependencyError } from "../../src/errors";
import { BREAKER_OPEN_CODE, DependencyBreaker } from "../../src/resilience/circuit_breaker";
import { classifyFirestoreError, GRPC } from "../../src/resilience/classify_firestore_error";
import { CLIENT_RETRIED_CODES, codesRetriedByUs } from "../../src/resilience/firestore_call_policy";
import { loadResilienceSettings } from "../../src/resilience/resilience_settings";
import { fullJitterDelayMs, RetryRunner } from "../../src/resilience/retry_policy";

const transient = () => new TransientDependencyError("x", "down");

describe("capped full jitter retries", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("draws each delay from the injected random source, doubling up to the cap", () => {
    const settings = { maxAttempts: 6, baseMs: 1000, capMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => fullJitterDelayMs(settings, n, () => 0.5))).toEqual([
      500, 1000, 2000, 4000, 5000,
    ]);
    expect(fullJitterDelayMs(settings, 1, () => 0)).toBe(0);
  });

  it("retries a transient error after the jittered delay and stops at maxAttempts", async () => {
    const runner = new RetryRunner({ maxAttempts: 3, baseMs: 1000, capMs: 10_000 }, () => 0.5);
    const work = vi.fn(async () => {
      throw transient();
    });
    const delays: number[] = [];
    const done = runner
      .run(
        work,
        () => true,
        (e) => delays.push(e.delayMs),
      )
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await done).toBeInstanceOf(TransientDependencyError);
    expect(work).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([500, 1000]);
  });

  it("does not retry an error the predicate refuses", async () => {
    const runner = new RetryRunner({ maxAttempts: 3, baseMs: 1, capMs: 1 }, () => 0);
    const work = vi.fn(async () => {
      throw new PermanentDependencyError("x", "bad request");
    });
    await expect(runner.run(work, () => false)).rejects.toBeInstanceOf(PermanentDependencyError);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("reads its settings from the environment and rejects nonsense at start-up", () => {
    expect(
      loadResilienceSettings({ RETRY_MAX_ATTEMPTS: "5", RETRY_CAP_MS: "20000" }),
    ).toMatchObject({
      retryMaxAttempts: 5,
      retryBaseMs: 1000,
      retryCapMs: 20_000,
      breakerHalfOpenAfterMs: 30_000,
    });
    expect(() => loadResilienceSettings({ RETRY_BASE_MS: "-1" })).toThrow(/RETRY_BASE_MS/);
    expect(() => loadResilienceSettings({ RETRY_BASE_MS: "5000", RETRY_CAP_MS: "10" })).toThrow(
      /RETRY_CAP_MS/,
    );
  });
});

describe("Firestore circuit breaker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("opens after repeated transient failures, makes no call while open, probes after 30 s", async () => {
    const breaker = new DependencyBreaker({ consecutiveFailures: 3, halfOpenAfterMs: 30_000 });
    const events: string[] = [];
    breaker.onEvent((e) => events.push(e.kind));
    const failing = vi.fn(async () => {
      throw transient();
    });
    for (let i = 0; i < 3; i++) await breaker.execute(failing).catch(() => {});
    expect(breaker.state).toBe("open");
    const blocked = vi.fn(async () => "never");
    const error = await breaker.execute(blocked).catch((e) => e);
    expect(blocked).not.toHaveBeenCalled();
    expect(error).toMatchObject({ code: BREAKER_OPEN_CODE, retryable: true });
    vi.advanceTimersByTime(30_000);
    await breaker.execute(failing).catch(() => {}); // failed probe: stays open
    vi.advanceTimersByTime(30_000);
    expect(await breaker.execute(async () => "ok")).toBe("ok");
    expect(breaker.state).toBe("closed");
    expect(events.filter((k) => k === "opened")).toHaveLength(1);
    expect(events.filter((k) => k === "closed")).toHaveLength(1);
    expect(events).toContain("probe_failed");
  });

  it("is not opened by permanent errors", async () => {
    const breaker = new DependencyBreaker({ consecutiveFailures: 2, halfOpenAfterMs: 30_000 });
    const permanent = async () => {
      throw new PermanentDependencyError("firestore", "denied");
    };
    for (let i = 0; i < 5; i++) await breaker.execute(permanent).catch(() => {});
    expect(breaker.state).toBe("closed");
  });
});

describe("Firestore error classification and per-call retry policy", () => {
  it("keeps the gRPC code and splits transient from permanent", () => {
    expect(classifyFirestoreError({ code: 14, message: "down" })).toMatchObject({
      retryable: true,
      grpcCode: 14,
      code: "firestore_unavailable",
    });
    expect(classifyFirestoreError({ code: 7 })).toMatchObject({
      retryable: false,
      grpcCode: 7,
      code: "firestore_permission_denied",
    });
    expect(classifyFirestoreError(new Error("no code"))).toMatchObject({
      retryable: true,
      grpcCode: 2,
    });
  });

  it("retries nothing the client already retries, and nothing inside transactions", () => {
    expect([...codesRetriedByUs("recordCompletion")].sort()).toEqual(
      [GRPC.CANCELLED, GRPC.UNKNOWN, GRPC.DEADLINE_EXCEEDED, GRPC.INTERNAL].sort(),
    );
    expect(codesRetriedByUs("takePublishLease").size).toBe(0);
    expect(codesRetriedByUs("ping").size).toBe(0);
  });

  it("matches the retry codes of the installed Firestore client", () => {
    const require = createRequire(import.meta.url);
    const main = require.resolve("@google-cloud/firestore");
    const path = join(dirname(main), "v1", "firestore_client_config.json");
    const config = JSON.parse(readFileSync(path, "utf8")).interfaces[
      "google.firestore.v1.Firestore"
    ];
    const codes = (method: string) =>
      (config.retry_codes[config.methods[method].retry_codes_name] as string[])
        .map((name) => GRPC[name as keyof typeof GRPC])
        .sort();
    // write-batch.js adds ABORTED to Commit's codes.
    expect([...CLIENT_RETRIED_CODES.commit].sort()).toEqual(
      [...codes("Commit"), GRPC.ABORTED].sort(),
    );
    expect([...CLIENT_RETRIED_CODES.batchGet].sort()).toEqual(codes("BatchGetDocuments"));
    expect([...CLIENT_RETRIED_CODES.runQuery].sort()).toEqual(codes("RunQuery"));
    expect([...CLIENT_RETRIED_CODES.listDocuments].sort()).toEqual(codes("ListDocuments"));
  });
});
