/** Entry point of `bin/orchestrator`: runs the CLI on this process's arguments and streams. */
import { processIo } from "./cli_io";
import { runCli } from "./main";

process.exitCode = await runCli(process.argv.slice(2), processIo());
