import { describe, expect, it } from "vitest";
import { TransientDependencyError } from "../../src/errors";
import { safeDependencyError } from "../../src/health/dependency_error";
import { type DependencyCheck, ReadinessChecker } from "../../src/health/readiness";
import { ManualTimers } from "../alerts/manual_timers";

function checker(checks: DependencyCheck[], timers = new ManualTimers()) {
  const ready = new ReadinessChecker(checks, {
    clock: timers.clock,
    timeoutMs: 2000,
    cacheMs: 30_000,
    timers: {
      setTimeout: (cb, ms) => timers.setTimeout(cb, ms),
      clearTimeout: (h) => timers.clearTimeout(h),
      monotonicMs: () => timers.clock.now().getTime(),
    },
  });
  return { ready, timers };
}

const flush = () => new Promise((r) => setImmediate(r));

describe("ReadinessChecker", () => {
  it("is ready when every dependency answers, with a latency per dependency", async () => {
    const { ready } = checker([
      { name: "firestore", probe: async () => {} },
      { name: "bigquery", probe: async () => {} },
    ]);
    const report = await ready.check();
    expect(report.ready).toBe(true);
    expect(report.dependencies).toEqual({
      firestore: { ok: true, latencyMs: 0, error: null },
      bigquery: { ok: true, latencyMs: 0, error: null },
    });
  });

  it("names the dependency that does not answer within the time limit", async () => {
    const { ready, timers } = checker([
      { name: "firestore", probe: async () => {} },
      { name: "bigquery", probe: () => new Promise(() => {}) },
    ]);
    const pending = ready.check();
    await flush();
    timers.advance(1999);
    await flush();
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    timers.advance(1);
    const report = await pending;
    expect(report.ready).toBe(false);
    expect(report.dependencies.bigquery).toEqual({
      ok: false,
      latencyMs: 2000,
      error: "timeout after 2000 ms",
    });
    expect(report.dependencies.firestore?.ok).toBe(true);
  });

  it("reuses one answer for 30 s and checks again after", async () => {
    let calls = 0;
    const { ready, timers } = checker([
      {
        name: "firestore",
        probe: async () => {
          calls += 1;
        },
      },
    ]);
    await ready.check();
    timers.advance(29_999);
    expect((await ready.check()).cached).toBe(true);
    expect(calls).toBe(1);
    timers.advance(1);
    expect((await ready.check()).cached).toBe(false);
    expect(calls).toBe(2);
  });

  it("runs one round of checks for concurrent callers", async () => {
    let calls = 0;
    const { ready } = checker([
      {
        name: "firestore",
        probe: async () => {
          calls += 1;
        },
      },
    ]);
    await Promise.all([ready.check(), ready.check(), ready.check()]);
    expect(calls).toBe(1);
  });

  it("keeps a failing dependency's message, host and token out of the answer", async () => {
    const secretish = Object.assign(
      new Error(
        "14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.1.2.3:8080 token=abc123",
      ),
      { code: 14 },
    );
    const { ready } = checker([{ name: "firestore", probe: () => Promise.reject(secretish) }]);
    const report = await ready.check();
    expect(report.dependencies.firestore).toMatchObject({ ok: false, error: "grpc unavailable" });
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/10\.1\.2\.3|8080|abc123|ECONNREFUSED/);
  });
});

describe("safeDependencyError", () => {
  it("reduces errors to codes", () => {
    expect(safeDependencyError(new TransientDependencyError("bigquery", "at http://x:1"))).toBe(
      "bigquery_unavailable",
    );
    expect(safeDependencyError({ response: { status: 500 }, message: "secret" })).toBe("http 500");
    expect(safeDependencyError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(
      "econnrefused",
    );
    expect(safeDependencyError(new Error("http://10.0.0.1:9999 refused"))).toBe("error");
  });
});
