import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorBinaries } from "@orchestrator/shared/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type DemoProcess, isAlive, startDemo } from "./run_demo_process";

const binaries = emulatorBinaries();
const SHIPPED_FIXTURES = join(import.meta.dirname, "..", "..", "..", "shared", "fixtures");
const DAY = "2026-01-27";
if (!binaries.ok && process.env.REQUIRE_EMULATORS === "1") {
  throw new Error(`REQUIRE_EMULATORS=1 but the emulators are missing: ${binaries.reason}`);
}
if (!binaries.ok) {
  process.stderr.write(`\nLOCAL DEMO TESTS SKIPPED: ${binaries.reason}\n\n`);
}

interface Summary {
  ok: boolean;
  problems: string[];
  triggers: { transition: string; reason: string; mode: string; gameDate: string }[];
}

/** Every pid the demo printed: emulators and the functions host. */
function printedPids(output: string): number[] {
  return [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
}

describe.skipIf(!binaries.ok)("local demo", () => {
  let running: DemoProcess | undefined;

  afterEach(async () => {
    // A failed assertion must not leave a demo (and its emulators) running.
    if (running && running.child.exitCode === null) {
      running.child.kill("SIGTERM");
      await running.exit;
    }
    running = undefined;
  });

  it("plays the fixture day and triggers phases 3, 4 and 5 exactly once, with the fixtures' reasons", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "local-demo-"));
    const summaryPath = join(workDir, "summary.json");
    running = startDemo(["--work-dir", workDir, "--summary-json", summaryPath]);

    const code = await running.exit;
    const output = running.output();

    expect(code, output).toBe(0);
    const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as Summary;
    expect(summary.problems).toEqual([]);
    const seen = summary.triggers.map((t) => [t.transition, t.reason, t.mode, t.gameDate]);
    expect(seen).toEqual([
      ["phase2-to-phase3", "all_complete", "overnight", "2026-01-27"],
      ["phase3-to-phase4", "critical_plus_majority_60pct", "overnight", "2026-01-27"],
      ["phase4-to-phase5", "all_complete", "overnight", "2026-01-27"],
    ]);
    expect(output).toContain("RESULT: OK");
    expect(output).not.toContain("\u001b[");
    // The functions' JSON log lines go to the log file, not to the demo's output.
    expect(output).not.toContain('"severity"');
    expect(readFileSync(join(workDir, "functions.log"), "utf8")).toContain('"completion_recorded"');
    const pids = printedPids(output);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it("stops the emulators and the functions and exits 130 on Ctrl-C", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "local-demo-"));
    running = startDemo(["--work-dir", workDir]);
    await running.waitForOutput("publish");
    const pids = printedPids(running.output());
    expect(pids).toHaveLength(3);

    running.child.kill("SIGINT");
    const code = await running.exit;

    expect(code).toBe(130);
    expect(running.output()).toContain("Stopped.");
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it("plays fixtures from --fixtures and prints the alert a poison message raises", async () => {
    const fixtures = mkdtempSync(join(tmpdir(), "local-demo-fixtures-"));
    for (const phase of ["phase2", "phase3", "phase4"]) {
      const name = `day-${DAY}-${phase}.jsonl`;
      copyFileSync(join(SHIPPED_FIXTURES, name), join(fixtures, name));
    }
    const phase2 = join(fixtures, `day-${DAY}-phase2.jsonl`);
    writeFileSync(phase2, `{"processor_name": 42}\n${readFileSync(phase2, "utf8")}`);
    running = startDemo(["--fixtures", fixtures, "--work-dir", mkdtempSync(join(tmpdir(), "ld-"))]);

    const code = await running.exit;
    const output = running.output();

    expect(code, output).toBe(0);
    expect(output).toMatch(/deliver +phase2-to-phase3 <- \? \(success\): 200 rejected/);
    expect(output).toMatch(/alert +.*unreadable message dropped/);
  });

  it("fails with exit 1, naming the missing fixture, before starting anything", async () => {
    running = startDemo(["--fixtures", join(tmpdir(), "no-such-fixtures")]);

    const code = await running.exit;

    expect(code).toBe(1);
    expect(running.output()).toMatch(/cannot read fixture .*day-2026-01-27-phase2\.jsonl/);
    expect(printedPids(running.output())).toEqual([]);
  });
});
