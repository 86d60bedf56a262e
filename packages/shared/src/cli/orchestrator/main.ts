import { describeError } from "../../errors";
import { DateRangeError } from "../../status_page/date_range";
import type { CliCommand } from "./cli_command";
import { type CliIo, EXIT, UsageError } from "./cli_io";
import { healthCommand } from "./health_command";
import { replayCommand } from "./replay_command";
import { retriggerCommand } from "./retrigger_command";
import { statusCommand } from "./status_command";

/** The subcommands, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  statusCommand,
  retriggerCommand,
  replayCommand,
  healthCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `Usage: orchestrator COMMAND [options]

Operator's tool for the phase orchestrators: reads and repairs the same Firestore state the
functions use, with the same code (set GOOGLE_CLOUD_PROJECT or pass --project).

Commands:
${list}

Run \`orchestrator COMMAND --help\` for a command's options.
`;
}

/**
 * Runs one CLI invocation and resolves with its exit code: 0 done, 1 failed, 2 wrong
 * arguments, 3 refused (retrigger of a triggered date without --force).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`orchestrator: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof DateRangeError) {
      io.stderr(`orchestrator ${name}: ${error.message}\nRun \`orchestrator ${name} --help\`.\n`);
      return EXIT.usage;
    }
    io.stderr(`orchestrator ${name}: failed: ${describeError(error)}\n`);
    return EXIT.failed;
  }
}
