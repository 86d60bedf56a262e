import { describe, expect, it } from "vitest";
import { cellStateOf } from "../../src/status_page/cell_state";
import { parseDateOrRange } from "../../src/status_page/date_range";
import { renderStatusPage } from "../../src/status_page/render_status_page";
import type { ProcessorStatusView, StatusView } from "../../src/tracker/status_view";

const proc = (processor: string, late = false): ProcessorStatusView => ({
  processor,
  status: "success",
  completedAt: "2026-01-27T06:00:00.000Z",
  lastSeenAt: "2026-01-27T06:00:00.000Z",
  deliveries: 1,
  reportedNames: [processor],
  late,
});

function view(overrides: Partial<StatusView>): StatusView {
  return {
    transition: "phase2-to-phase3",
    phase: "phase2",
    gameDate: "2026-01-27",
    source: "firestore",
    degraded: false,
    mode: "overnight",
    expected: ["a", "b"],
    completed: [],
    missing: ["a", "b"],
    failed: [],
    unknown: [],
    triggered: false,
    published: false,
    triggeredAt: null,
    reason: null,
    idempotencyKey: null,
    nextCheckAt: null,
    ...overrides,
  };
}

describe("cellStateOf", () => {
  it("tells every state apart", () => {
    const done = { completed: [proc("a"), proc("b")], missing: [] };
    expect(cellStateOf(view({}))).toBe("not_started");
    expect(cellStateOf(view({ completed: [proc("a")], missing: ["b"] }))).toBe("in_progress");
    expect(cellStateOf(view({ ...done, triggered: true }))).toBe("triggered");
    expect(cellStateOf(view({ completed: [proc("a")], missing: ["b"], triggered: true }))).toBe(
      "triggered_partial",
    );
    expect(
      cellStateOf(view({ completed: [proc("a"), proc("b", true)], missing: [], triggered: true })),
    ).toBe("late_completions");
    expect(cellStateOf(view({ failed: ["b"], triggered: true }))).toBe("failed");
  });
});

describe("renderStatusPage", () => {
  it("escapes every value that came from outside", () => {
    const evil = `"><script>alert(1)</script>`;
    const html = renderStatusPage(
      [
        view({
          unknown: [{ ...proc(evil), reportedNames: [evil] }],
          reason: evil,
          source: evil,
          degraded: true,
          gameDate: "2026-01-27",
        }),
      ],
      { title: `t ${evil}`, generatedAt: evil },
    );
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("says when the answer comes from the backup store", () => {
    const html = renderStatusPage([view({ degraded: true, source: "bigquery" })], {
      generatedAt: "2026-01-28T12:00:00Z",
    });
    expect(html).toContain("Read from the backup store (bigquery)");
  });

  it("lays dates out newest first and phases in pipeline order", () => {
    const html = renderStatusPage(
      [
        view({ phase: "phase3", transition: "phase3-to-phase4", gameDate: "2026-01-26" }),
        view({ gameDate: "2026-01-26" }),
        view({ gameDate: "2026-01-27" }),
      ],
      { generatedAt: "x" },
    );
    expect(html.indexOf(">2026-01-27<")).toBeLessThan(html.indexOf(">2026-01-26<"));
    expect(html.indexOf("phase2-to-phase3")).toBeLessThan(html.indexOf("phase3-to-phase4"));
    expect(html).toContain('<td class="cell" data-state="none">no data</td>');
  });
});

describe("date ranges", () => {
  it("takes a date or a range of at most 62 days", () => {
    expect(parseDateOrRange("2026-01-27").dates).toEqual(["2026-01-27"]);
    expect(parseDateOrRange("2026-01-01..2026-03-03").dates).toHaveLength(62);
    expect(() => parseDateOrRange("2026-01-01..2026-03-04")).toThrow(/63 days/);
    expect(() => parseDateOrRange("2026-01-05..2026-01-01")).toThrow(/after/);
    expect(() => parseDateOrRange("2026-02-30")).toThrow(/YYYY-MM-DD/);
  });
});
