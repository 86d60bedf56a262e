/** The game date most tests play. */
export const DATE = "2026-01-27";

/** Canonical phase 4 processors, in expected order. */
export const PHASE4 = [
  "team_defense_zone_analysis",
  "player_shot_zone_analysis",
  "player_composite_factors",
  "player_daily_cache",
  "ml_feature_store",
] as const;

/** A successful completion of `processor` for the test date. */
export const done = (processor: string, extra: Record<string, unknown> = {}) => ({
  processor_name: processor,
  game_date: DATE,
  ...extra,
});
