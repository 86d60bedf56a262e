import { functionSmokeSuite } from "@orchestrator/shared/testing/function_smoke";

functionSmokeSuite(
  "phase2-to-phase3",
  "phase2ToPhase3",
  "p2_bdl_box_scores",
  () => import("../src/index"),
);
