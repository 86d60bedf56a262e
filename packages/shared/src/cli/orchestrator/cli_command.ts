import { type ParseArgsConfig, parseArgs } from "node:util";
import { type CliIo, UsageError } from "./cli_io";

/** One subcommand of `bin/orchestrator`. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Runs with the arguments after the command name; resolves with the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  project: { type: "string" },
  verbose: { type: "boolean" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/** Help lines for `COMMON_OPTIONS`. */
export const COMMON_HELP = `Common options:
  --json             print JSON instead of a table (stable, for scripts)
  --project ID       Google Cloud project (default: $GOOGLE_CLOUD_PROJECT)
  --verbose          print the library's log lines to stderr
  -h, --help         show this help`;

/** `parseArgs` in strict mode, with unknown options reported as usage errors. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The environment with `--project` applied. */
export function envWithProject(io: CliIo, project: string | undefined): CliIo {
  if (project === undefined) return io;
  return { ...io, env: { ...io.env, GOOGLE_CLOUD_PROJECT: project } };
}
