import { functionSmokeSuite } from "@orchestrator/shared/testing/function_smoke";

functionSmokeSuite(
  "phase4-to-phase5",
  "phase4ToPhase5",
  "ml_feature_store",
  () => import("../src/index"),
);
