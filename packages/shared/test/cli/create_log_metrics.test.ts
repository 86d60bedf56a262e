import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "../../../../bin/create-log-metrics");

/** A `gcloud` that logs its argv and says a metric exists when EXISTING names it. */
function fakeGcloud(): { path: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), "fake-gcloud-metrics-"));
  const log = join(dir, "calls.log");
  writeFileSync(
    join(dir, "gcloud"),
    `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "${log}"
if [ "$3" = "describe" ]; then [[ " $EXISTING " == *" $4 "* ]] && exit 0; exit 1; fi
exit 0
`,
  );
  chmodSync(join(dir, "gcloud"), 0o755);
  writeFileSync(log, "");
  return {
    path: dir,
    calls: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.length > 0),
  };
}

function run(args: string[], env: Record<string, string> = {}): string {
  return execFileSync("bash", [SCRIPT, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...env },
  });
}

describe("bin/create-log-metrics", () => {
  it("prints one create command and a valid config per metric on --dry-run, calling nothing", () => {
    const gcloud = fakeGcloud();
    const out = run(["--dry-run", "--project", "demo-project"], {
      PATH: `${gcloud.path}:${process.env.PATH}`,
    });
    expect(gcloud.calls()).toEqual([]);
    const commands = out.split("\n").filter((l) => l.startsWith("gcloud "));
    expect(commands).toEqual(
      [
        "breaker_opened",
        "backup_write_failed",
        "primary_write_failed",
        "dual_write_failed",
        "poison_messages",
        "phase_triggers",
        "late_completions",
      ].map(
        (m) =>
          `gcloud logging metrics create orchestrator_${m} ` +
          `--config-from-file=orchestrator_${m}.json --project=demo-project`,
      ),
    );
    const configs = out
      .split("\n")
      .filter((l) => l.startsWith("# config: "))
      .map((l) => JSON.parse(l.slice("# config: ".length)));
    const byName = Object.fromEntries(configs.map((c) => [c.name, c]));
    expect(byName.orchestrator_phase_triggers).toMatchObject({
      filter: 'jsonPayload.event="phase_triggered"',
      labelExtractors: {
        function: "EXTRACT(jsonPayload.function)",
        trigger_reason: "EXTRACT(jsonPayload.triggerReason)",
      },
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64" },
    });
    expect(byName.orchestrator_primary_write_failed.filter).toBe(
      'jsonPayload.event="primary_write_failed"',
    );
    expect(byName.orchestrator_dual_write_failed.filter).toBe(
      'jsonPayload.event="dual_write_failed"',
    );
    expect(byName.orchestrator_poison_messages.filter).toBe('jsonPayload.event="poison_message"');
    expect(byName.orchestrator_late_completions.filter).toBe('jsonPayload.event="late_completion"');
    expect(byName.orchestrator_breaker_opened.filter).toBe('jsonPayload.event="breaker_opened"');
  });

  it("updates a metric that exists and creates the others", () => {
    const gcloud = fakeGcloud();
    const out = run(["--project=demo-project"], {
      PATH: `${gcloud.path}:${process.env.PATH}`,
      EXISTING: "orchestrator_phase_triggers",
    });
    expect(out).toContain("updated orchestrator_phase_triggers");
    expect(out.match(/^created /gm)).toHaveLength(6);
    const writes = gcloud.calls().filter((c) => !c.includes(" describe "));
    expect(writes).toHaveLength(7);
    expect(writes.filter((c) => c.startsWith("logging metrics update"))).toEqual([
      expect.stringMatching(
        /^logging metrics update orchestrator_phase_triggers --config-from-file=\S+\.json --project=demo-project$/,
      ),
    ]);
  });

  it("refuses to run without a project", () => {
    expect(() => run([])).toThrow(/--project ID or GOOGLE_CLOUD_PROJECT/);
  });
});
