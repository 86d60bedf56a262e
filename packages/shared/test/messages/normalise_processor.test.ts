import { describe, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { camelToSnake, normaliseProcessorName } from "../../src/messages/normalise_processor";

const phase2 = {
  expected: TRANSITIONS["phase2-to-phase3"].expectedProcessors,
  aliases: TRANSITIONS["phase2-to-phase3"].aliases,
};
const phase3 = { expected: TRANSITIONS["phase3-to-phase4"].expectedProcessors, aliases: {} };
const phase4 = { expected: TRANSITIONS["phase4-to-phase5"].expectedProcessors, aliases: {} };

describe("processor name normalisation", () => {
  it("keeps an exact canonical name", () => {
    expect(normaliseProcessorName("player_game_summary", undefined, phase3)).toEqual({
      processor: "player_game_summary",
      known: true,
      matchedBy: "exact",
    });
  });

  it("uses the last segment of a dataset-qualified output table", () => {
    const result = normaliseProcessorName(
      "SomethingElse",
      "nba_analytics.team_defense_game_summary",
      phase3,
    );
    expect(result).toMatchObject({
      processor: "team_defense_game_summary",
      matchedBy: "output_table",
    });
  });

  it("maps phase 2 class names through the alias table", () => {
    expect(
      normaliseProcessorName("BdlPlayerBoxScoresProcessor", "nba_raw.bdl_player_boxscores", phase2),
    ).toMatchObject({ processor: "p2_bdl_box_scores", matchedBy: "alias" });
    expect(normaliseProcessorName("NbacGamebookProcessor", undefined, phase2)).toMatchObject({
      processor: "p2_nbacom_gamebook_pdf",
    });
  });

  it("turns a CamelCase class name without Processor into snake_case", () => {
    expect(normaliseProcessorName("PlayerGameSummaryProcessor", undefined, phase3)).toMatchObject({
      processor: "player_game_summary",
      matchedBy: "camel_case",
    });
  });

  it("drops a version suffix", () => {
    expect(normaliseProcessorName("ml_feature_store_v2", undefined, phase4)).toMatchObject({
      processor: "ml_feature_store",
      matchedBy: "exact",
    });
  });

  it("marks a name that matches nothing as unknown and keeps it as reported", () => {
    expect(normaliseProcessorName("espn_scoreboard_loader", undefined, phase2)).toEqual({
      processor: "espn_scoreboard_loader",
      known: false,
      matchedBy: "unknown",
    });
  });

  it("ignores an alias that points at a processor this phase does not expect", () => {
    const table = { expected: ["a_b"], aliases: { Foo: "not_expected" } };
    expect(normaliseProcessorName("Foo", undefined, table).known).toBe(false);
  });

  it("splits acronyms sensibly", () => {
    expect(camelToSnake("MLFeatureStore")).toBe("ml_feature_store");
  });
});
