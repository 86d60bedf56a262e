import { http } from "@google-cloud/functions-framework";
import { orchestratorHandler } from "@orchestrator/shared";

/** Cloud Function entry point: Pub/Sub push deliveries, `/health` and `/status`. */
http("phase2ToPhase3", orchestratorHandler("phase2-to-phase3"));
