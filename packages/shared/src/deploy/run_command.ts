import { spawn } from "node:child_process";

/** What a finished command left behind. */
export interface CommandResult {
  /** Exit code; 127 when the program could not be started at all. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv without a shell; injected so tests can swap in canned answers. */
export type RunCommand = (
  argv: readonly string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv },
) => Promise<CommandResult>;

/** The real runner: spawns the program found on PATH and collects its output. */
export const runCommand: RunCommand = (argv, options = {}) =>
  new Promise((resolve) => {
    const [program, ...args] = argv;
    if (program === undefined) {
      resolve({ code: 127, stdout: "", stderr: "empty command" });
      return;
    }
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // A missing program surfaces as "error" and never as "close" with a code.
    child.on("error", (error) => resolve({ code: 127, stdout, stderr: error.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
