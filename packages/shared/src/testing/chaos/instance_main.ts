/**
 * Entry point of one function instance for the fault scenarios: serves orchestrator
 * `ORCH_FUNCTION` through the real Functions Framework on 127.0.0.1:`PORT`, like one Cloud
 * Functions instance. Run with tsx by `InstancePool`; prints one `READY <port>` line once it
 * listens. `ORCH_FAILPOINT` is read here and nowhere else, so production code has no switch.
 */
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import type { TransitionName } from "../../config/transition_defaults";
import { TRANSITIONS } from "../../config/transition_defaults";
import { orchestratorHandler } from "../../http/orchestrator_handler";
import type { Failpoints } from "../../tracker/failpoints";

/** The exit code a killed Cloud Run container reports; chosen to be recognisable in output. */
const CRASH_EXIT_CODE = 137;
const PARENT_CHECK_INTERVAL_MS = 1_000;

/** Failure points the harness can switch on by name. */
export const FAILPOINT_NAMES = ["exit-after-claim", "exit-after-publish"] as const;

function failpointsFrom(name: string | undefined): Failpoints {
  const crash = () => {
    process.stdout.write(`FAILPOINT ${name} pid=${process.pid}\n`);
    process.exit(CRASH_EXIT_CODE);
  };
  if (name === "exit-after-claim") return { afterClaimBeforePublish: crash };
  if (name === "exit-after-publish") return { afterPublishBeforeMark: crash };
  return {};
}

const name = process.env.ORCH_FUNCTION as TransitionName;
const port = Number(process.env.PORT);
const defaults = TRANSITIONS[name];
if (!defaults || !Number.isInteger(port)) {
  process.stderr.write(`bad ORCH_FUNCTION=${name} or PORT=${process.env.PORT}\n`);
  process.exit(2);
}
http(
  defaults.entryPoint,
  orchestratorHandler(name, { failpoints: failpointsFrom(process.env.ORCH_FAILPOINT) }),
);
// An instance outlives no test run: it exits once the process that started it is gone.
const parentPid = Number(process.env.ORCH_PARENT_PID);
if (Number.isInteger(parentPid) && parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      process.exit(0);
    }
  }, PARENT_CHECK_INTERVAL_MS).unref();
}
const server = getTestServer(defaults.entryPoint);
server.listen(port, "127.0.0.1", () => process.stdout.write(`READY ${port}\n`));
