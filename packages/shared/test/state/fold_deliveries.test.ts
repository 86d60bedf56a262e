import { describe, expect, it } from "vitest";
import { type CompletionInput, foldDeliveries } from "../../src/state/processor_fold";

const delivery = (over: Partial<CompletionInput>): CompletionInput => ({
  gameDate: "2026-01-27",
  processor: "player_daily_cache",
  known: true,
  reportedName: "player_daily_cache",
  status: "success",
  messageId: "m1",
  receivedAt: new Date("2026-01-27T06:00:00Z"),
  recordCount: 1,
  ...over,
});

describe("folding deliveries into processor state", () => {
  it("shows success once a partial run is followed by a successful one", () => {
    const [state] = foldDeliveries([
      delivery({ status: "partial", messageId: "a" }),
      delivery({ status: "success", messageId: "b", receivedAt: new Date("2026-01-27T07:00:00Z") }),
    ]);
    expect(state).toMatchObject({ counted: true, countedStatus: "success", deliveries: 2 });
    expect(state?.completedAt).toBe("2026-01-27T06:00:00.000Z");
  });

  it("keeps a processor counted when a later rerun fails", () => {
    const [state] = foldDeliveries([
      delivery({ messageId: "a" }),
      delivery({ status: "failed", messageId: "b", receivedAt: new Date("2026-01-27T07:00:00Z") }),
    ]);
    expect(state).toMatchObject({ counted: true, countedStatus: "success", lastStatus: "failed" });
  });

  it("orders deliveries by arrival, whatever order the store returns them in", () => {
    const [state] = foldDeliveries([
      delivery({ status: "success", messageId: "b", receivedAt: new Date("2026-01-27T07:00:00Z") }),
      delivery({ status: "failed", messageId: "a" }),
    ]);
    expect(state).toMatchObject({ lastStatus: "success", completedAt: "2026-01-27T07:00:00.000Z" });
  });

  it("keeps an unknown name apart from an expected processor of the same name", () => {
    const states = foldDeliveries([
      delivery({ messageId: "a" }),
      delivery({ messageId: "b", known: false }),
    ]);
    expect(states).toHaveLength(2);
  });

  it("merges entity hints: incremental only if every report said so", () => {
    const [state] = foldDeliveries([
      delivery({ messageId: "a", isIncremental: true, entitiesChanged: ["player:1"] }),
      delivery({ messageId: "b", isIncremental: false, entitiesChanged: ["player:2"] }),
    ]);
    expect(state?.isIncremental).toBe(false);
    expect(state?.entitiesChanged).toEqual(["player:1", "player:2"]);
  });
});
