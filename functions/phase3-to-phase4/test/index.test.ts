import { functionSmokeSuite } from "@orchestrator/shared/testing/function_smoke";

functionSmokeSuite(
  "phase3-to-phase4",
  "phase3ToPhase4",
  "player_game_summary",
  () => import("../src/index"),
);
