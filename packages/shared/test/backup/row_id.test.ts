import { describe, expect, it } from "vitest";
import { completionRowId } from "../../src/backup/row_id";

const BASE = {
  transition: "phase3-to-phase4",
  gameDate: "2026-01-27",
  reportedName: "PlayerGameSummaryProcessor",
  messageId: "1234567890",
};

describe("completionRowId", () => {
  it("gives the same 64-hex id for the same delivery", () => {
    const id = completionRowId(BASE);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(completionRowId({ ...BASE })).toBe(id);
  });

  it.each(["transition", "gameDate", "reportedName", "messageId"] as const)(
    "changes when %s changes",
    (part) => {
      expect(completionRowId({ ...BASE, [part]: `${BASE[part]}x` })).not.toBe(
        completionRowId(BASE),
      );
    },
  );

  it("does not confuse parts whose concatenation is the same", () => {
    const a = completionRowId({ ...BASE, reportedName: "a|b", messageId: "c" });
    const b = completionRowId({ ...BASE, reportedName: "a", messageId: "b|c" });
    expect(a).not.toBe(b);
  });
});
