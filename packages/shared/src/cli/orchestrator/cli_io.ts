import type { Firestore } from "@google-cloud/firestore";
import type { PubSub } from "@google-cloud/pubsub";
import type { Clock } from "../../clock";
import type { RunCommand } from "../../deploy/run_command";

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal: tables may use colour. */
  stdoutIsTty: boolean;
  /** True when stderr is a terminal: progress may redraw one line. */
  stderrIsTty: boolean;
  clock?: Clock;
  /** Clients to use instead of new ones (tests pass the emulator clients). */
  firestore?: Firestore;
  pubsub?: PubSub;
  /** Runs `gcloud`; injected so tests never reach the real one. */
  runCommand?: RunCommand;
  /** `fetch`, injected for the same reason. */
  fetch?: typeof fetch;
}

/** Wrong arguments: print the message and the command's usage, exit 2. */
export class UsageError extends Error {
  readonly code = "usage_error";
}

/** Exit codes of `bin/orchestrator`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
  };
}

/** Progress on stderr: one redrawn line on a terminal, a line every `everyN` otherwise. */
export function progressReporter(
  io: CliIo,
  label: string,
  everyN = 10,
): (done: number, total: number) => void {
  return (done, total) => {
    if (total < 2) return;
    if (io.stderrIsTty) {
      io.stderr(`\r${label} ${done}/${total}${done === total ? "\n" : ""}`);
    } else if (done % everyN === 0 || done === total) {
      io.stderr(`${label} ${done}/${total}\n`);
    }
  };
}
