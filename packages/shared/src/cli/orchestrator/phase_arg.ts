import {
  TRANSITION_NAMES,
  TRANSITIONS,
  type TransitionName,
} from "../../config/transition_defaults";
import { UsageError } from "./cli_io";

/** How PHASE is written on the command line, for help texts. */
export const PHASE_HELP =
  "PHASE is the phase an orchestrator starts (phase3, phase4, phase5, or 3, 4, 5) " +
  "or the orchestrator's name (phase2-to-phase3, phase3-to-phase4, phase4-to-phase5).";

/** The orchestrator a PHASE argument names. */
export function parsePhase(text: string | undefined): TransitionName {
  if (text === undefined || text === "") throw new UsageError(`PHASE is required. ${PHASE_HELP}`);
  const wanted = text.toLowerCase();
  for (const name of TRANSITION_NAMES) {
    const target = TRANSITIONS[name].targetPhase;
    if (wanted === name || wanted === target || wanted === target.replace("phase", "")) {
      return name;
    }
  }
  throw new UsageError(`unknown PHASE "${text}". ${PHASE_HELP}`);
}

/** The short key used in `--url-KEY` options: the phase the orchestrator starts. */
export function phaseKey(name: TransitionName): string {
  return TRANSITIONS[name].targetPhase;
}
