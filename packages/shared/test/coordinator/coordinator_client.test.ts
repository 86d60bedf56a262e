import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CoordinatorClient } from "../../src/coordinator/coordinator_client";
import { type CoordinatorServer, startCoordinatorServer } from "./coordinator_server";

const BACKOFF_MS = 1_000;
const STEP_MS = 50;
const REQUEST = { game_date: "2026-01-27", correlation_id: "c-1", idempotency_key: "k:1" };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("prediction coordinator client (fake time for backoff)", () => {
  let server: CoordinatorServer;
  let fakeElapsedMs: number;
  const arrivals: number[] = [];

  beforeEach(async () => {
    server = await startCoordinatorServer();
    arrivals.length = 0;
    fakeElapsedMs = 0;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await server.close();
  });

  const client = (maxRetries: number) =>
    new CoordinatorClient(server.url, async (aud) => `token-for:${aud}`, {
      maxRetries,
      initialBackoffMs: BACKOFF_MS,
      maxBackoffMs: 8 * BACKOFF_MS,
      timeoutMs: 5_000,
    });

  /** Lets I/O run between small steps of fake time until `call` settles. */
  async function drive<T>(call: Promise<T>): Promise<T> {
    let settled = false;
    void call.finally(() => {
      settled = true;
    });
    let seen = 0;
    while (!settled) {
      await nextTurn();
      while (seen < server.requests.length) {
        arrivals.push(fakeElapsedMs);
        seen += 1;
      }
      await vi.advanceTimersByTimeAsync(STEP_MS);
      fakeElapsedMs += STEP_MS;
    }
    return call;
  }

  it("sends the date, correlation id and idempotency key with an ID token for the URL", async () => {
    const result = await drive(client(3).start(REQUEST));
    expect(result).toEqual({ ok: true, attempts: 1, httpStatus: 200 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ path: "/start", body: REQUEST });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer token-for:${server.url}`);
  });

  it("retries 503 and 429 after growing backoff, then succeeds", async () => {
    server.answer(503, 429);
    const result = await drive(client(3).start(REQUEST));
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(arrivals).toHaveLength(3);
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(BACKOFF_MS);
    expect((arrivals[2] as number) - (arrivals[1] as number)).toBeGreaterThanOrEqual(
      2 * BACKOFF_MS,
    );
  });

  it("gives up after the configured retries and says why", async () => {
    server.answer(500, 500, 500, 500);
    const result = await drive(client(2).start(REQUEST));
    expect(result).toMatchObject({ ok: false, attempts: 3, httpStatus: 500 });
    expect(result.error).toContain("500");
  });

  it("does not retry a refusal that retrying cannot fix", async () => {
    server.answer(403);
    const result = await drive(client(3).start(REQUEST));
    expect(result).toMatchObject({ ok: false, attempts: 1, httpStatus: 403 });
  });
});
