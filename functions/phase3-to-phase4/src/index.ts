import { http } from "@google-cloud/functions-framework";
import { orchestratorHandler } from "@orchestrator/shared";

/** Cloud Function entry point: Pub/Sub push deliveries, `/health` and `/status`. */
http("phase3ToPhase4", orchestratorHandler("phase3-to-phase4"));
