import { sameRuleForAllModes, type TriggerRule, triggerRuleSchema } from "../rules/rule_config";

/** The fixed identity of an orchestrator and its defaults; env may override the defaults. */
export interface TransitionDefaults {
  /** Orchestrator name, also its deployed function name, e.g. `phase3-to-phase4`. */
  name: string;
  /** Functions Framework entry point. */
  entryPoint: string;
  sourcePhase: string;
  targetPhase: string;
  /** Human label for alerts and pages. */
  label: string;
  completionTopic: string;
  triggerTopic: string;
  collection: string;
  expectedProcessors: string[];
  aliases: Record<string, string>;
  rule: TriggerRule;
}

/** Phase 2 loaders report class names; these map them to canonical names. */
const PHASE2_ALIASES: Record<string, string> = {
  BdlPlayerBoxScoresProcessor: "p2_bdl_box_scores",
  BdlBoxscoresProcessor: "p2_bdl_box_scores",
  BigDataBallPbpProcessor: "p2_bigdataball_pbp",
  OddsGameLinesProcessor: "p2_odds_game_lines",
  OddsApiGameLinesProcessor: "p2_odds_game_lines",
  NbacScheduleProcessor: "p2_nbacom_schedule",
  NbacGamebookProcessor: "p2_nbacom_gamebook_pdf",
  BrRosterProcessor: "p2_br_season_roster",
  BasketballRefRosterProcessor: "p2_br_season_roster",
};

/** The three orchestrators, in pipeline order. */
export const TRANSITION_NAMES = [
  "phase2-to-phase3",
  "phase3-to-phase4",
  "phase4-to-phase5",
] as const;

/** Name of one of the three orchestrators. */
export type TransitionName = (typeof TRANSITION_NAMES)[number];

/** Defaults of the three orchestrators, as the pipeline runs them. */
export const TRANSITIONS: Record<TransitionName, TransitionDefaults> = {
  "phase2-to-phase3": {
    name: "phase2-to-phase3",
    entryPoint: "phase2ToPhase3",
    sourcePhase: "phase2",
    targetPhase: "phase3",
    label: "Phase 2 → Phase 3",
    completionTopic: "nba-phase2-raw-complete",
    triggerTopic: "nba-phase3-trigger",
    collection: "phase2_completion",
    expectedProcessors: [
      "p2_bdl_box_scores",
      "p2_bigdataball_pbp",
      "p2_odds_game_lines",
      "p2_nbacom_schedule",
      "p2_nbacom_gamebook_pdf",
      "p2_br_season_roster",
    ],
    aliases: PHASE2_ALIASES,
    rule: sameRuleForAllModes({}),
  },
  "phase3-to-phase4": {
    name: "phase3-to-phase4",
    entryPoint: "phase3ToPhase4",
    sourcePhase: "phase3",
    targetPhase: "phase4",
    label: "Phase 3 → Phase 4",
    completionTopic: "nba-phase3-analytics-complete",
    triggerTopic: "nba-phase4-trigger",
    collection: "phase3_completion",
    expectedProcessors: [
      "player_game_summary",
      "team_defense_game_summary",
      "team_offense_game_summary",
      "upcoming_player_game_context",
      "upcoming_team_game_context",
    ],
    aliases: {},
    rule: triggerRuleSchema.parse({
      modes: {
        // Overnight every summary can finish: wait for the two the model cannot do without
        // plus a majority, so one stuck optional processor does not hold phase 4 back.
        overnight: {
          critical: ["player_game_summary", "upcoming_player_game_context"],
          majorityRatio: 0.6,
        },
        // Same day and ahead, only the upcoming context can exist: waiting for more would
        // never end.
        same_day: { critical: ["upcoming_player_game_context"], criticalSuffices: true },
        tomorrow: { critical: ["upcoming_player_game_context"], criticalSuffices: true },
      },
    }),
  },
  "phase4-to-phase5": {
    name: "phase4-to-phase5",
    entryPoint: "phase4ToPhase5",
    sourcePhase: "phase4",
    targetPhase: "phase5",
    label: "Phase 4 → Phase 5",
    completionTopic: "nba-phase4-precompute-complete",
    triggerTopic: "nba-predictions-trigger",
    collection: "phase4_completion",
    expectedProcessors: [
      "team_defense_zone_analysis",
      "player_shot_zone_analysis",
      "player_composite_factors",
      "player_daily_cache",
      "ml_feature_store",
    ],
    aliases: {},
    rule: sameRuleForAllModes({
      tiers: [
        { name: "tier1_timeout", afterMinutes: 60, minCompleted: 4 },
        { name: "tier2_timeout", afterMinutes: 120, minCompleted: 3 },
        { name: "tier3_timeout", afterMinutes: 240, minCompleted: 1 },
      ],
    }),
  },
};
