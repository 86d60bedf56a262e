/**
 * The local demo, Quick start command 1: plays one pipeline day through the three
 * orchestrators on the Firestore and Pub/Sub emulators, all on 127.0.0.1, and exits 0 only
 * if phases 3, 4 and 5 were each triggered exactly once. Everything it starts is stopped
 * on every way out, Ctrl-C and SIGTERM included.
 */
import { writeFileSync } from "node:fs";
import { EXAMPLE_QUERY, summariseBackup } from "./backup_summary";
import { Deadline, DemoTimeoutError } from "./deadline";
import { DeliveryLog } from "./delivery_log";
import { type DemoEnvironment, startEnvironment } from "./environment";
import { fetchStatuses, type PhaseStatus } from "./phase_status";
import { loadPhaseFixtures, type PipelineResult, playDay } from "./pipeline";
import { type DemoOptions, parseOptions, USAGE } from "./options";
import { findProblems, renderPhaseTables } from "./report";
import { Resources } from "./resources";
import { styleFor } from "./terminal";
import { Timeline } from "./timeline";

const EXIT_INTERRUPTED: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

const style = styleFor(process.stdout, process.env);
/** Set by Ctrl-C or SIGTERM: from then on only the shutdown is reported. */
let interruptedBy: string | null = null;
const say = (line = "") => process.stdout.write(`${line}\n`);
const print = (line = "") => {
  if (interruptedBy === null) say(line);
};

async function main(argv: string[]): Promise<number> {
  let options: DemoOptions | "help";
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    print(USAGE);
    return 0;
  }
  const resources = new Resources();
  // A reader that goes away (`npm run demo | head`) must not crash the demo before it has
  // stopped the emulators: the rest of the output is simply lost.
  process.stdout.on("error", () => {});
  // A bug in a callback would otherwise end the process with the emulators still running.
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    process.once(event, (error: unknown) => {
      interruptedBy = event;
      process.stderr.write(`demo crashed (${event}): ${(error as Error).stack ?? String(error)}\n`);
      void resources.closeAll().then(() => process.exit(1));
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interruptedBy = signal;
      say(`\n${signal} received: stopping everything the demo started...`);
      void resources.closeAll().then((problems) => {
        for (const problem of problems) say(style.red(problem));
        say("Stopped.");
        process.exit(EXIT_INTERRUPTED[signal]);
      });
    });
  }
  return run(options, resources);
}

async function run(options: DemoOptions, resources: Resources): Promise<number> {
  const timeline = new Timeline(print, (kind, line) =>
    kind === "TRIGGER" ? style.bold(line) : kind === "alert" ? style.yellow(line) : line,
  );
  const deadline = new Deadline(options.timeoutMs);
  print(style.bold(`Local demo: pipeline day ${options.gameDate} through the three orchestrators`));
  print(style.dim(`fixtures ${options.fixturesDir}, time limit ${options.timeoutMs / 1000} s`));
  print();
  const result: PipelineResult = { runs: [], deliveries: new DeliveryLog(timeline), triggers: [] };
  let environment: DemoEnvironment | undefined;
  let failure: Error | undefined;
  try {
    const fixtures = loadPhaseFixtures(options);
    environment = await startEnvironment(options, resources, timeline, deadline);
    await playDay(options, fixtures, environment, timeline, deadline, result);
    timeline.add("done", "day played; reading each function's GET /status");
  } catch (error) {
    failure = error as Error;
    timeline.add("FAILED", failure.message);
  }
  const statuses: PhaseStatus[] = environment
    ? await fetchStatuses(result.runs, options.gameDate)
    : [];
  for (const line of renderPhaseTables(statuses, style)) print(line);

  print();
  print(style.dim("Stopping everything the demo started..."));
  const stopProblems = await resources.closeAll();
  let backupLine = "";
  if (environment) {
    backupLine = await summariseBackup(environment.duckdbPath).catch(
      (error: Error) => `not readable: ${error.message}`,
    );
    print(`Backup (DuckDB): ${environment.duckdbPath}`);
    print(`  ${backupLine}`);
    print(`  query it: pnpm --filter @orchestrator/local-demo run query "${EXAMPLE_QUERY}"`);
    print(`Function logs (one JSON line per event): ${environment.logPath}`);
  }

  const problems = [
    ...(failure ? [failureLine(failure)] : []),
    ...(environment && result.runs.length > 0 ? findProblems(result.runs, statuses) : []),
    ...stopProblems,
  ];
  const refused = result.deliveries.refused();
  if (refused.length > 0) {
    print(style.yellow(`${refused.length} deliveries were refused (non-2xx) and redelivered:`));
    for (const r of refused)
      print(`  ${r.function} ${r.summary ?? ""}: ${r.status} ${r.responseBody}`);
  }
  const elapsedS = (timeline.elapsedMs() / 1000).toFixed(1);
  print();
  if (problems.length === 0) {
    const phases = result.runs.map((r) => r.defaults.targetPhase).join(", ");
    print(
      style.green(style.bold(`RESULT: OK - ${phases} each triggered exactly once (${elapsedS} s)`)),
    );
  } else {
    print(style.red(style.bold(`RESULT: FAILED after ${elapsedS} s`)));
    for (const problem of problems) print(style.red(`  - ${problem}`));
  }
  if (options.summaryJson) {
    writeSummary(options.summaryJson, problems, timeline, result, statuses, backupLine);
  }
  return problems.length === 0 ? 0 : 1;
}

function failureLine(error: Error): string {
  if (error instanceof DemoTimeoutError) return error.message;
  return `the run stopped: ${error.message}`;
}

function writeSummary(
  path: string,
  problems: string[],
  timeline: Timeline,
  result: PipelineResult,
  statuses: PhaseStatus[],
  backup: string,
): void {
  const summary = {
    ok: problems.length === 0,
    problems,
    elapsedMs: timeline.elapsedMs(),
    triggers: result.triggers,
    statuses: statuses.map((s) => ({ transition: s.run.defaults.name, ...s })),
    deliveries: result.deliveries.deliveries,
    backup,
    timeline: timeline.events,
  };
  writeFileSync(path, `${JSON.stringify(summary, (k, v) => (k === "run" ? undefined : v), 2)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo crashed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
