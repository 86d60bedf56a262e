import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock";
import { loadConfig } from "../../src/config/load_config";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { evaluateRule, runModeFor } from "../../src/rules/evaluate_rule";
import { sameRuleForAllModes } from "../../src/rules/rule_config";
import type { PhaseSnapshot, ProcessorState } from "../../src/state/phase_state";

const NY = "America/New_York";
const MINUTE_MS = 60_000;
const PHASE3 = TRANSITIONS["phase3-to-phase4"];
const PHASE4 = TRANSITIONS["phase4-to-phase5"];

/** A processor that counted at `completedAt`. */
function done(processor: string, completedAt: string, extra: Partial<ProcessorState> = {}) {
  return {
    processor,
    known: true,
    reportedNames: [processor],
    lastStatus: "success",
    counted: true,
    countedStatus: "success",
    firstSeenAt: completedAt,
    lastSeenAt: completedAt,
    completedAt,
    deliveries: 1,
    messageIds: [`m-${processor}`],
    recordCount: 1,
    ...extra,
  } satisfies ProcessorState;
}

function snapshot(gameDate: string, processors: ProcessorState[]): PhaseSnapshot {
  return { gameDate, processors };
}

describe("run mode against today in New York", () => {
  const cases: [string, string, string, string][] = [
    // [game date, instant just before NY midnight, instant at NY midnight, label]
    ["2026-01-27", "2026-01-28T04:59:59.999Z", "2026-01-28T05:00:00.000Z", "winter (EST)"],
    // 8 March 2026: clocks spring forward, so the next midnight is at 04:00 UTC.
    ["2026-03-08", "2026-03-09T03:59:59.999Z", "2026-03-09T04:00:00.000Z", "spring forward"],
    // 1 November 2026: clocks fall back, so the next midnight is at 05:00 UTC.
    ["2026-11-01", "2026-11-02T04:59:59.999Z", "2026-11-02T05:00:00.000Z", "fall back"],
  ];
  for (const [date, before, at, label] of cases) {
    it(`turns same_day into overnight exactly at New York midnight (${label})`, () => {
      const clock = new ManualClock(before);
      expect(runModeFor(date, NY, clock.now())).toBe("same_day");
      clock.set(at);
      expect(runModeFor(date, NY, clock.now())).toBe("overnight");
    });
  }

  it("calls the next day tomorrow until New York midnight, then same_day", () => {
    const clock = new ManualClock("2026-03-09T03:59:59.999Z");
    expect(runModeFor("2026-03-09", NY, clock.now())).toBe("tomorrow");
    clock.advance(1);
    expect(runModeFor("2026-03-09", NY, clock.now())).toBe("same_day");
  });

  it("starts the DST day itself at 05:00 UTC in spring and 04:00 UTC in autumn", () => {
    expect(runModeFor("2026-03-08", NY, new Date("2026-03-08T04:59:59Z"))).toBe("tomorrow");
    expect(runModeFor("2026-03-08", NY, new Date("2026-03-08T05:00:00Z"))).toBe("same_day");
    expect(runModeFor("2026-11-01", NY, new Date("2026-11-01T03:59:59Z"))).toBe("tomorrow");
    expect(runModeFor("2026-11-01", NY, new Date("2026-11-01T04:00:00Z"))).toBe("same_day");
  });
});

describe("phase 3 → 4 rule by mode", () => {
  const t = "2026-03-08T20:00:00Z";
  const upcomingOnly = snapshot("2026-03-08", [done("upcoming_player_game_context", t)]);

  it("triggers a same-day run on the critical upcoming context alone", () => {
    const clock = new ManualClock("2026-03-09T03:59:59.999Z");
    const d = evaluateRule(upcomingOnly, PHASE3.expectedProcessors, PHASE3.rule, clock.now());
    expect(d).toMatchObject({ due: true, reason: "critical_complete", mode: "same_day" });
    expect(d.missing).toHaveLength(4);
  });

  it("does not trigger the same date once it is overnight with only that processor", () => {
    const clock = new ManualClock("2026-03-09T04:00:00.000Z");
    const d = evaluateRule(upcomingOnly, PHASE3.expectedProcessors, PHASE3.rule, clock.now());
    expect(d).toMatchObject({ due: false, mode: "overnight" });
  });

  it("triggers a tomorrow run on the critical processor", () => {
    const tomorrow = snapshot("2026-03-09", [done("upcoming_player_game_context", t)]);
    const d = evaluateRule(tomorrow, PHASE3.expectedProcessors, PHASE3.rule, new Date(t));
    expect(d).toMatchObject({ due: true, reason: "critical_complete", mode: "tomorrow" });
  });

  it("does not trigger a same-day run with only non-critical processors done", () => {
    const s = snapshot("2026-03-08", [
      done("player_game_summary", t),
      done("team_defense_game_summary", t),
      done("team_offense_game_summary", t),
      done("upcoming_team_game_context", t),
    ]);
    const d = evaluateRule(s, PHASE3.expectedProcessors, PHASE3.rule, new Date(t));
    expect(d).toMatchObject({ due: false, mode: "same_day" });
    expect(d.missing).toEqual(["upcoming_player_game_context"]);
  });

  it("triggers overnight on both critical plus 60 % and not on both critical alone", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const critical = [done("player_game_summary", t), done("upcoming_player_game_context", t)];
    const two = evaluateRule(
      snapshot("2026-03-08", critical),
      PHASE3.expectedProcessors,
      PHASE3.rule,
      now,
    );
    expect(two).toMatchObject({ due: false, mode: "overnight" });
    const three = evaluateRule(
      snapshot("2026-03-08", [...critical, done("team_offense_game_summary", t)]),
      PHASE3.expectedProcessors,
      PHASE3.rule,
      now,
    );
    expect(three).toMatchObject({ due: true, reason: "critical_plus_majority_60pct" });
  });

  it("does not trigger overnight on a majority that lacks a critical processor", () => {
    const s = snapshot("2026-03-08", [
      done("player_game_summary", t),
      done("team_defense_game_summary", t),
      done("team_offense_game_summary", t),
      done("upcoming_team_game_context", t),
    ]);
    const d = evaluateRule(s, PHASE3.expectedProcessors, PHASE3.rule, new Date("2026-03-10"));
    expect(d.due).toBe(false);
  });

  it("triggers on a plain majority when no processor is critical", () => {
    const rule = sameRuleForAllModes({ majorityRatio: 0.5 });
    const s = snapshot("2026-03-08", [done("a", t), done("b", t)]);
    const d = evaluateRule(s, ["a", "b", "c", "d"], rule, new Date(t));
    expect(d).toMatchObject({ due: true, reason: "majority_50pct" });
  });
});

describe("phase 4 → 5 time tiers", () => {
  const first = "2026-01-27T20:00:00.000Z";
  const names = PHASE4.expectedProcessors;
  const withDone = (count: number) =>
    snapshot(
      "2026-01-27",
      names.slice(0, count).map((n, i) => done(n, i === 0 ? first : "2026-01-27T20:30:00Z")),
    );
  const tiers: [string, number, number][] = [
    ["tier1_timeout", 60, 4],
    ["tier2_timeout", 120, 3],
    ["tier3_timeout", 240, 1],
  ];
  for (const [name, minutes, count] of tiers) {
    it(`${name}: waits until ${minutes} min after the first completion with ${count} done`, () => {
      const clock = new ManualClock(first);
      clock.advance(minutes * MINUTE_MS - 1);
      const before = evaluateRule(withDone(count), names, PHASE4.rule, clock.now());
      expect(before.due).toBe(false);
      expect(before.nextCheckAt).toBe(
        new Date(Date.parse(first) + minutes * MINUTE_MS).toISOString(),
      );
      clock.advance(1);
      const after = evaluateRule(withDone(count), names, PHASE4.rule, clock.now());
      expect(after).toMatchObject({ due: true, reason: name, timedOut: true });
      expect(after.missing).toEqual(names.slice(count));
    });
  }

  it("does not fire a tier without its minimum count", () => {
    const d = evaluateRule(withDone(3), names, PHASE4.rule, new Date("2026-01-27T21:59:00Z"));
    expect(d.due).toBe(false);
  });

  it("triggers at once when all five are done", () => {
    const d = evaluateRule(withDone(5), names, PHASE4.rule, new Date(first));
    expect(d).toMatchObject({ due: true, reason: "all_complete", timedOut: false });
  });

  it("names the latest tier reached whatever the configured order", () => {
    const rule = sameRuleForAllModes({
      tiers: [
        { name: "late", afterMinutes: 240, minCompleted: 1 },
        { name: "early", afterMinutes: 60, minCompleted: 1 },
      ],
    });
    const d = evaluateRule(withDone(1), names, rule, new Date("2026-01-28T01:00:00Z"));
    expect(d.reason).toBe("late");
  });
});

describe("phase 2 → 3 deadline", () => {
  const config = loadConfig("phase2-to-phase3", {
    GOOGLE_CLOUD_PROJECT: "p",
    TRIGGER_RULE: JSON.stringify({
      modes: { overnight: {}, same_day: {}, tomorrow: {} },
      deadlineMinutes: 180,
    }),
  });
  const first = "2026-01-27T23:00:00.000Z";
  const s = snapshot("2026-01-27", [done("p2_bdl_box_scores", first)]);

  it("is missed exactly at the deadline and never triggers by itself", () => {
    const clock = new ManualClock(first);
    clock.advance(180 * MINUTE_MS - 1);
    const before = evaluateRule(s, config.expectedProcessors, config.rule, clock.now());
    expect(before).toMatchObject({ due: false, deadlineMissed: false });
    expect(before.nextCheckAt).toBe("2026-01-28T02:00:00.000Z");
    clock.advance(1);
    const after = evaluateRule(s, config.expectedProcessors, config.rule, clock.now());
    expect(after).toMatchObject({ due: false, deadlineMissed: true });
  });

  it("is not missed before any completion arrived", () => {
    const d = evaluateRule(
      snapshot("2026-01-27", []),
      config.expectedProcessors,
      config.rule,
      new Date(),
    );
    expect(d.deadlineMissed).toBe(false);
  });
});
