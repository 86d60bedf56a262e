import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The repository root: this file lives in `demo/src/`. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The folder the user ran the command in. `pnpm --filter … run` starts scripts in `demo/`,
 * so relative paths on the command line are resolved against npm's and pnpm's `INIT_CWD`.
 */
export const INVOKED_FROM = process.env.INIT_CWD ?? process.cwd();

/**
 * The arguments after the script name. pnpm passes a `--` separator through to the
 * script, where it would turn every option into a positional: it is dropped.
 */
export function scriptArgs(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}

/** The game date of the fixture day shipped beside the repository. */
const DEFAULT_DATE = "2026-01-27";
const DEFAULT_TIMEOUT_SECONDS = 120;
/** Time after the last trigger in which a second trigger would still be caught. */
const DEFAULT_SETTLE_MS = 2_000;

/** What one demo run does; every field has a default. */
export interface DemoOptions {
  /** Folder with `day-<date>-phase<N>.jsonl`, one completion message per line. */
  fixturesDir: string;
  gameDate: string;
  /** Where the backup file and the functions log go; emptied of both at start. */
  workDir: string;
  timeoutMs: number;
  settleMs: number;
  /** Writes a machine-readable summary here, for tests and scripts. */
  summaryJson?: string;
  /** Google Cloud project id used on the emulators. */
  projectId: string;
}

/** Usage text for `--help`. */
export const USAGE = `Usage: pnpm --filter @orchestrator/local-demo run start [options]

Plays one pipeline day through the three orchestrators on local emulators.

Options:
  --fixtures DIR        fixture folder (default: ../shared/fixtures beside the repository)
  --date YYYY-MM-DD     game date of the fixture files day-<date>-phase<N>.jsonl (default ${DEFAULT_DATE})
  --work-dir DIR        where backup.duckdb and functions.log go (default: .demo)
  --timeout-seconds N   give up after N seconds (default ${DEFAULT_TIMEOUT_SECONDS})
  --settle-ms N         wait after the last trigger for a duplicate (default ${DEFAULT_SETTLE_MS})
  --summary-json FILE   also write the result as JSON
  --help                this text
`;

/** Parses the command line; throws a `RangeError` naming a bad value. */
export function parseOptions(argv: string[]): DemoOptions | "help" {
  const { values } = parseArgs({
    args: scriptArgs(argv),
    options: {
      fixtures: { type: "string" },
      date: { type: "string" },
      "work-dir": { type: "string" },
      "timeout-seconds": { type: "string" },
      "settle-ms": { type: "string" },
      "summary-json": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const gameDate = values.date ?? DEFAULT_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(gameDate)) {
    throw new RangeError(`--date must be YYYY-MM-DD, got "${gameDate}"`);
  }
  return {
    fixturesDir: values.fixtures
      ? resolve(INVOKED_FROM, values.fixtures)
      : resolve(REPO_ROOT, "..", "shared", "fixtures"),
    gameDate,
    workDir: values["work-dir"]
      ? resolve(INVOKED_FROM, values["work-dir"])
      : resolve(REPO_ROOT, ".demo"),
    timeoutMs:
      positive("--timeout-seconds", values["timeout-seconds"], DEFAULT_TIMEOUT_SECONDS) * 1000,
    settleMs: positive("--settle-ms", values["settle-ms"], DEFAULT_SETTLE_MS, true),
    ...(values["summary-json"] !== undefined && {
      summaryJson: resolve(INVOKED_FROM, values["summary-json"]),
    }),
    projectId: "demo-orchestrators",
  };
}

function positive(flag: string, raw: string | undefined, fallback: number, zeroOk = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    throw new RangeError(
      `${flag} must be a ${zeroOk ? "non-negative" : "positive"} number, got "${raw}"`,
    );
  }
  return value;
}
