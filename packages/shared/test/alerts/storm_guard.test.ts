import { describe, expect, it } from "vitest";
import type { AlertCooldownStore } from "../../src/alerts/alert_cooldown_store";
import { StormGuard } from "../../src/alerts/storm_guard";
import { dualWriteAlert } from "./fixtures";
import { ManualTimers } from "./manual_timers";

const MINUTE_MS = 60_000;

function guardWith(store?: AlertCooldownStore) {
  const timers = new ManualTimers();
  const guard = new StormGuard({
    cooldownMinutes: 15,
    storeTimeoutMs: 1_000,
    clock: timers.clock,
    timers,
    ...(store ? { store } : {}),
  });
  return { guard, timers };
}

describe("StormGuard without a shared store", () => {
  it("sends the first alert and holds back repeats until the cooldown ends", async () => {
    const { guard, timers } = guardWith();
    expect(await guard.admit(dualWriteAlert())).toMatchObject({ send: true, suppressedCount: 0 });
    for (let i = 0; i < 5; i++) {
      timers.advance(MINUTE_MS);
      expect(await guard.admit(dualWriteAlert())).toEqual({ send: false });
    }
    timers.advance(10 * MINUTE_MS);
    expect(await guard.admit(dualWriteAlert())).toMatchObject({
      send: true,
      suppressedCount: 5,
      decidedBy: "in_process",
      previousSentAt: new Date("2025-01-15T06:00:00Z"),
    });
  });

  it("treats another game date, error type or function as a different alert", async () => {
    const { guard } = guardWith();
    expect((await guard.admit(dualWriteAlert())).send).toBe(true);
    expect((await guard.admit(dualWriteAlert({ gameDate: "2025-01-13" }))).send).toBe(true);
    expect((await guard.admit(dualWriteAlert({ errorType: "StaleMessageError" }))).send).toBe(true);
    expect((await guard.admit(dualWriteAlert({ functionName: "phase2-to-phase3" }))).send).toBe(
      true,
    );
    expect((await guard.admit(dualWriteAlert())).send).toBe(false);
  });
});

describe("StormGuard when the shared store fails", () => {
  it("still sends when the store throws, and then holds repeats in process", async () => {
    let calls = 0;
    const failing: AlertCooldownStore = {
      claim: async () => {
        calls++;
        throw new Error("14 UNAVAILABLE: firestore down");
      },
    };
    const { guard } = guardWith(failing);
    expect(await guard.admit(dualWriteAlert())).toMatchObject({
      send: true,
      decidedBy: "store_unavailable",
    });
    expect(await guard.admit(dualWriteAlert())).toEqual({ send: false });
    expect(calls).toBe(1);
  });

  it("stops waiting for a store that never answers after the store timeout", async () => {
    const hanging: AlertCooldownStore = {
      claim: () => new Promise(() => {}),
    };
    const { guard, timers } = guardWith(hanging);
    let admission: unknown;
    const pending = guard.admit(dualWriteAlert()).then((a) => {
      admission = a;
    });
    // Repeats during the pending claim are held, not sent and not queued behind it.
    expect(await guard.admit(dualWriteAlert())).toEqual({ send: false });
    timers.advance(999);
    await Promise.resolve();
    expect(admission).toBeUndefined();
    timers.advance(1);
    await pending;
    expect(admission).toMatchObject({
      send: true,
      suppressedCount: 0,
      decidedBy: "store_unavailable",
    });
  });

  it("passes the count held back in process to the store on its next claim", async () => {
    const carried: number[] = [];
    const store: AlertCooldownStore = {
      claim: async (_fp, _now, _cooldownMs, carriedSuppressed) => {
        carried.push(carriedSuppressed);
        return { send: true, suppressedCount: carriedSuppressed };
      },
    };
    const { guard, timers } = guardWith(store);
    await guard.admit(dualWriteAlert());
    for (let i = 0; i < 7; i++) await guard.admit(dualWriteAlert());
    timers.advance(15 * MINUTE_MS);
    expect(await guard.admit(dualWriteAlert())).toMatchObject({ send: true, suppressedCount: 7 });
    expect(carried).toEqual([0, 7]);
  });
});
