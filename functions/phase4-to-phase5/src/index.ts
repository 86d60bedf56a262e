import { http } from "@google-cloud/functions-framework";
import { orchestratorHandler } from "@orchestrator/shared";

/** Cloud Function entry point: Pub/Sub push deliveries, `/health` and `/status`. */
http("phase4ToPhase5", orchestratorHandler("phase4-to-phase5"));
